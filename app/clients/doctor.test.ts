import fs from 'node:fs/promises';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { switchboardProjectId } from './bridge-command.js';
import { CLIENT_DEFS } from './defs/index.js';

// Token-shaped values that must never be printed, returned in a finding, or left in a config.
const GH = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const LIN = 'lin_api_' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe';
const SHORT = 'hunter2-pw';
const SECRETS = [GH, LIN, SHORT];

let tmp: TempHome;
let env: NodeJS.ProcessEnv;
let services: Services;
let paths: { cursor: string; desktop: string; codex: string };

beforeEach(async () => {
  tmp = await makeTempHome('sb-doctor-');
  // The explicit insecure file store: this test is about configs, not the OS keychain.
  env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' };
  services = createServices({ dataDir: tmp.dataDir, env });
  paths = {
    cursor: (await services.clients.configPath({ client: 'cursor' })).path,
    desktop: (await services.clients.configPath({ client: 'claude-desktop' })).path,
    codex: (await services.clients.configPath({ client: 'codex' })).path,
  };
  const live = await services.projects.add({ name: 'live', url: 'https://live.example.com/mcp' });
  await write(
    paths.cursor,
    `{
  // my servers
  "mcpServers": {
    "github": {
      "url": "https://api.githubcopilot.example/mcp/",
      "headers": { "Authorization": "Bearer ${GH}", "X-Org": "acme" }
    },
    "from-env": { "url": "https://env.example.com/mcp", "headers": { "Authorization": "Bearer \${env:GH_TOKEN}" } },
    "gone": { "command": "${process.execPath}", "args": ["/x/bin/switchboard", "bridge", "--project", "prj_deadbeef0000"] },
    "live": { "command": "/nonexistent/node", "args": ["/x/bin/switchboard", "bridge", "--project", "${live.id}"] }
  }
}
`,
  );
  await write(
    paths.desktop,
    JSON.stringify(
      {
        mcpServers: {
          linear: {
            command: 'npx',
            args: [
              '-y',
              'mcp-remote',
              'https://mcp.linear.example/mcp',
              '--header',
              'Authorization:${AUTH}',
            ],
            env: { AUTH: `Bearer ${LIN}` },
          },
        },
      },
      null,
      2,
    ),
  );
  await write(
    paths.codex,
    `[mcp_servers.db]\ncommand = "db-mcp"\nenv = { DB_PASSWORD = "${SHORT}" }\n`,
  );
});
afterEach(() => tmp.cleanup());

async function write(file: string, text: string) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

function noSecretsIn(text: string) {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('doctor', () => {
  it('finds plaintext secrets, broken Switchboard entries and manageable remotes without revealing values', async () => {
    const findings = await services.doctor.findings();
    noSecretsIn(JSON.stringify(findings));
    const brief = findings.map((f) => [f.client, f.entry, f.kind, f.fix]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['cursor', 'github', 'plaintext-secret', 'move-to-switchboard'],
        ['cursor', 'from-env', 'manageable-remote', undefined],
        ['cursor', 'gone', 'deleted-project', 'uninstall'],
        ['cursor', 'live', 'missing-executable', 'reinstall'],
        ['claude-desktop', 'linear', 'plaintext-secret', 'move-to-switchboard'],
        ['codex', 'db', 'plaintext-secret', undefined],
      ]),
    );
    const gh = findings.find((f) => f.entry === 'github')!;
    expect(gh.message).toContain('headers.Authorization');
    expect([gh.line, gh.column]).toEqual([6, 37]);
    const db = findings.find((f) => f.entry === 'db')!;
    expect(db.message).toContain('DB_PASSWORD');
    expect(db.line).toBe(3);
  });

  it('the CLI prints findings (exit 1), never a secret; --fix without --yes on a pipe refuses', async () => {
    const r = await runCliProcess(['doctor'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[plaintext-secret] Cursor');
    noSecretsIn(r.stdout + r.stderr);
    const json = await runCliProcess(['doctor', '--json'], { env });
    expect(JSON.parse(json.stdout).length).toBeGreaterThanOrEqual(6);
    noSecretsIn(json.stdout);
    const before = await fs.readFile(paths.cursor, 'utf8');
    const refused = await runCliProcess(['doctor', '--fix'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    noSecretsIn(refused.stdout + refused.stderr);
    expect(await fs.readFile(paths.cursor, 'utf8')).toBe(before);
  });

  it('--fix --yes moves secrets into Switchboard, rewrites entries to the bridge and repairs ours', async () => {
    const r = await runCliProcess(['doctor', '--fix', '--yes', '--json'], {
      env,
      timeoutMs: 60_000,
    });
    noSecretsIn(r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as {
      fixed: { entryName: string; newProject?: string }[];
      remaining: { entry: string; kind: string }[];
    };
    expect(out.fixed.map((f) => f.entryName).sort()).toEqual(['github', 'gone', 'linear', 'live']);
    // What is left needs a human: a secret in a local server's env, a token from the shell.
    expect(out.remaining.map((f) => [f.entry, f.kind]).sort()).toEqual([
      ['db', 'plaintext-secret'],
      ['from-env', 'manageable-remote'],
    ]);
    expect(r.code).toBe(1);

    const fresh = createServices({ dataDir: tmp.dataDir, env });
    const github = await fresh.projects.get('github');
    expect(github).toMatchObject({
      url: 'https://api.githubcopilot.example/mcp/',
      auth: 'bearer',
      headers: { 'X-Org': 'acme' },
    });
    const linear = await fresh.projects.get('linear');
    expect(linear.url).toBe('https://mcp.linear.example/mcp');
    const tokens = await fresh.tokens.list('github');
    expect(tokens).toHaveLength(1);
    expect(await fresh.tokens.secretOf(tokens[0]!)).toBe(GH);
    const linTokens = await fresh.tokens.list('linear');
    expect(await fresh.tokens.secretOf(linTokens[0]!)).toBe(LIN);

    const cursorText = await fs.readFile(paths.cursor, 'utf8');
    const desktopText = await fs.readFile(paths.desktop, 'utf8');
    noSecretsIn(cursorText + desktopText);
    expect(cursorText).toContain('// my servers');
    const cursor = parseJsonc(cursorText) as { mcpServers: Record<string, unknown> };
    expect(Object.keys(cursor.mcpServers)).toEqual(['github', 'from-env', 'live']);
    expect(switchboardProjectId(CLIENT_DEFS.cursor.readStdio(cursor.mcpServers.github))).toBe(
      github.id,
    );
    expect(CLIENT_DEFS.cursor.readStdio(cursor.mcpServers.live)?.command).toBe(process.execPath);
    const desktop = parseJsonc(desktopText) as { mcpServers: Record<string, unknown> };
    expect(
      switchboardProjectId(CLIENT_DEFS['claude-desktop'].readStdio(desktop.mcpServers.linear)),
    ).toBe(linear.id);
    // The codex file was not touched.
    expect(await fs.readFile(paths.codex, 'utf8')).toContain(SHORT);
    // Backups were taken before each change.
    const backups = await fs.readdir(path.join(tmp.dataDir, 'clients', 'backups'));
    expect(backups.some((b) => b.startsWith('mcp.json-'))).toBe(true);
    expect(backups.some((b) => b.startsWith('claude_desktop_config.json-'))).toBe(true);
    // …with the moved secrets scrubbed out of them.
    const leaks = await findSecretsInFiles(
      [path.join(tmp.dataDir, 'clients', 'backups')],
      [GH, LIN],
    );
    expect(leaks).toEqual([]);
  });
});
