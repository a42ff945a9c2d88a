import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { switchboardProjectId } from './bridge-command.js';
import { CLIENT_DEFS } from './defs/index.js';

// Migration from the tools people already use (issue 17 §4): supergateway and raw-URL entries
// become a project + bridge entry with the same name; mcp-remote's plaintext OAuth files are
// reported by path and field names, never by value. Real files in a temp HOME, the real CLI.
const SG_TOKEN = 'sgw_' + 'H7g6F5e4D3c2B1a0Z9y8X7w6V5u4T3s2';
const ACCESS = 'mra_' + 'Acc3ssT0kenV4lue0123456789abcdefXYZ';
const REFRESH = 'mrr_' + 'R3freshT0kenV4lue0123456789abcdefXY';

let tmp: TempHome;
let env: NodeJS.ProcessEnv;
let services: Services;
let windsurf: string;
let vscode: string;
let desktop: string;

async function write(file: string, text: string) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

beforeEach(async () => {
  tmp = await makeTempHome('sb-migrate-');
  // The explicit file store: this test is about configs (the keychain path is covered elsewhere).
  env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' };
  services = createServices({ dataDir: tmp.dataDir, env });
  windsurf = (await services.clients.configPath({ client: 'windsurf' })).path;
  vscode = (await services.clients.configPath({ client: 'vscode' })).path;
  desktop = (await services.clients.configPath({ client: 'claude-desktop' })).path;
  await write(
    windsurf,
    JSON.stringify(
      {
        mcpServers: {
          'team-tools': {
            command: 'npx',
            args: [
              '-y',
              'supergateway',
              '--streamableHttp',
              'https://tools.example.com/mcp',
              '--oauth2Bearer',
              SG_TOKEN,
              '--header',
              'X-Team: core',
            ],
          },
          'legacy-sse': {
            command: 'npx',
            args: ['-y', 'supergateway', '--sse', 'https://old.example.com/sse'],
          },
        },
      },
      null,
      2,
    ),
  );
  await write(
    vscode,
    '{\n  // mine\n  "servers": {\n    "docs": { "type": "http", "url": "https://docs.example.com/mcp" }\n  }\n}\n',
  );
  await write(
    desktop,
    JSON.stringify(
      {
        mcpServers: {
          notion: { command: 'npx', args: ['-y', 'mcp-remote', 'https://mcp.notion.example/mcp'] },
        },
      },
      null,
      2,
    ),
  );
  // What mcp-remote leaves behind after an OAuth sign-in (named by md5 of the server URL).
  const hash = createHash('md5').update('https://mcp.notion.example/mcp').digest('hex');
  const dir = path.join(tmp.home, '.mcp-auth', 'mcp-remote-0.1.29');
  await write(
    path.join(dir, `${hash}_tokens.json`),
    JSON.stringify({
      access_token: ACCESS,
      refresh_token: REFRESH,
      token_type: 'Bearer',
      expires_in: 3600,
    }),
  );
  await write(path.join(dir, `${hash}_code_verifier.txt`), 'verifier');
});
afterEach(() => tmp.cleanup());

it('reports supergateway, raw-URL and mcp-remote entries, and mcp-remote’s token file by field name only', async () => {
  const findings = await services.doctor.findings();
  const text = JSON.stringify(findings);
  for (const s of [SG_TOKEN, ACCESS, REFRESH]) expect(text).not.toContain(s);
  const brief = findings.map((f) => [f.client ?? null, f.entry ?? null, f.kind, f.fix ?? null]);
  expect(brief).toEqual(
    expect.arrayContaining([
      ['windsurf', 'team-tools', 'plaintext-secret', 'move-to-switchboard'],
      ['vscode', 'docs', 'manageable-remote', 'move-to-switchboard'],
      // OAuth through mcp-remote: moves to an `oauth` project that needs a sign-in.
      ['claude-desktop', 'notion', 'manageable-remote', 'move-to-switchboard'],
      ['claude-desktop', 'notion', 'plaintext-oauth-tokens', null],
    ]),
  );
  // supergateway's legacy SSE mode is not something the bridge can take over.
  expect(findings.some((f) => f.entry === 'legacy-sse' && f.fix)).toBe(false);
  const tokens = findings.find((f) => f.kind === 'plaintext-oauth-tokens')!;
  expect(tokens.path).toMatch(/\.mcp-auth\/mcp-remote-0\.1\.29\/[0-9a-f]{32}_tokens\.json$/);
  expect(tokens.clientName).toBe('Claude Desktop via mcp-remote');
  expect(tokens.message).toContain('access_token, expires_in, refresh_token, token_type');
  expect(
    findings.find((f) => f.entry === 'notion' && f.kind === 'manageable-remote')!.message,
  ).toContain('OAuth');
});

it('doctor --fix --yes: supergateway, raw-URL and mcp-remote entries become projects + bridge entries, names kept', async () => {
  const r = await runCliProcess(['doctor', '--fix', '--yes', '--json'], { env, timeoutMs: 60_000 });
  for (const s of [SG_TOKEN, ACCESS, REFRESH]) expect(r.stdout + r.stderr).not.toContain(s);
  const out = JSON.parse(r.stdout) as { fixed: { entryName: string; newProject?: string }[] };
  expect(out.fixed.map((f) => [f.entryName, f.newProject]).sort()).toEqual([
    ['docs', 'docs'],
    ['notion', 'notion'],
    ['team-tools', 'team-tools'],
  ]);
  // The plaintext OAuth file is still a problem to look at: exit 1.
  expect(r.code).toBe(1);

  const fresh = createServices({ dataDir: tmp.dataDir, env });
  const team = await fresh.projects.get('team-tools');
  expect(team).toMatchObject({
    url: 'https://tools.example.com/mcp',
    auth: 'bearer',
    headers: { 'X-Team': 'core' },
  });
  const [token] = await fresh.tokens.list('team-tools');
  expect(await fresh.tokens.secretOf(token!)).toBe(SG_TOKEN);
  expect((await fresh.projects.get('docs')).auth).toBe('none');

  const ws = parseJsonc(await fs.readFile(windsurf, 'utf8')) as {
    mcpServers: Record<string, unknown>;
  };
  expect(Object.keys(ws.mcpServers)).toEqual(['team-tools', 'legacy-sse']);
  expect(switchboardProjectId(CLIENT_DEFS.windsurf.readStdio(ws.mcpServers['team-tools']))).toBe(
    team.id,
  );
  const vsText = await fs.readFile(vscode, 'utf8');
  expect(vsText).toContain('// mine');
  const vs = parseJsonc(vsText) as { servers: Record<string, unknown> };
  expect(switchboardProjectId(CLIENT_DEFS.vscode.readStdio(vs.servers.docs))).toBe(
    (await fresh.projects.get('docs')).id,
  );
  // The mcp-remote OAuth entry runs the bridge for an `oauth` project; its token file stays.
  const notion = await fresh.projects.get('notion');
  expect(notion).toMatchObject({ url: 'https://mcp.notion.example/mcp', auth: 'oauth' });
  const cd = JSON.parse(await fs.readFile(desktop, 'utf8')) as {
    mcpServers: Record<string, unknown>;
  };
  expect(switchboardProjectId(CLIENT_DEFS['claude-desktop'].readStdio(cd.mcpServers.notion))).toBe(
    notion.id,
  );
  expect(
    await findSecretsInFiles([path.join(tmp.home, '.mcp-auth')], [ACCESS]).then((h) => h.length),
  ).toBe(1);
  // No moved secret in any client config or backup.
  const leaks = await findSecretsInFiles([tmp.home], [SG_TOKEN]);
  expect(leaks.filter((f) => !f.startsWith(path.join(tmp.dataDir, 'secrets')))).toEqual([]);
});
