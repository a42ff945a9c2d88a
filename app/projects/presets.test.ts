import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { listPresets, registerPreset } from './presets.js';

// `project add --preset` through the built CLI, secrets into the real keychain session.
let tmp: TempHome;
let server: McpTestServer | undefined;
const run = (args: string[], stdin?: string) => runCliProcess(args, { env: tmp.env, stdin });

beforeEach(async () => {
  requireKeyringSession();
  tmp = await makeTempHome('sb-presets-');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await tmp.cleanup();
});

const CF_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0.access';
const CF_SECRET = 'cfsecret_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0';

it('lists the built-in presets: tunnels and gateways', async () => {
  const r = await run(['project', 'presets', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const ids = (JSON.parse(r.stdout) as { id: string }[]).map((p) => p.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      'cloudflare-access',
      'tailscale',
      'ngrok',
      'agent-token',
      'gateway-token',
    ]),
  );
});

it('Cloudflare Access: both service-token headers go to the keychain, none to a file', async () => {
  const r = await run(
    [
      'project',
      'add',
      'cf',
      '--preset',
      'cloudflare-access',
      '--url',
      'https://mcp.example.com/mcp',
      '--token-stdin',
      '--json',
    ],
    `${CF_ID}\n${CF_SECRET}\n`,
  );
  expect(r.code, r.stderr).toBe(0);
  const project = JSON.parse(r.stdout) as { auth: string; secretHeaders: string[] };
  expect(project.auth).toBe('none');
  expect(project.secretHeaders).toEqual(['CF-Access-Client-Id', 'CF-Access-Client-Secret']);
  const tokens = await run(['token', 'list', '--project', 'cf', '--json']);
  const list = JSON.parse(tokens.stdout) as { kind: string; headerName?: string }[];
  expect(list.map((t) => [t.kind, t.headerName]).sort()).toEqual([
    ['secret-header', 'CF-Access-Client-Id'],
    ['secret-header', 'CF-Access-Client-Secret'],
  ]);
  expect(await findSecretsInFiles([tmp.home], [CF_ID, CF_SECRET])).toEqual([]);
  expect(r.stdout + r.stderr + tokens.stdout).not.toContain(CF_SECRET);
});

it('refuses what does not fit the preset, and writes nothing', async () => {
  const cases: [string[], string | undefined, string][] = [
    [['--preset', 'cloudflare-access', '--url', 'http://127.0.0.1:9/mcp'], undefined, 'https only'],
    [
      ['--preset', 'tailscale', '--url', 'https://mcp.example.com/mcp'],
      undefined,
      'not a tailnet name',
    ],
    [
      ['--preset', 'ngrok', '--url', 'https://mcp.example.com/mcp'],
      undefined,
      'not an ngrok domain',
    ],
    [
      ['--preset', 'cloudflare-access', '--url', 'https://mcp.example.com/mcp', '--token-stdin'],
      'only-one-line\n',
      'takes 2 secret(s)',
    ],
    [
      ['--preset', 'agent-token', '--url', 'https://proxy.example.com/mcp', '--token-stdin'],
      'sk_wrongprefix_abcdefghijklmnop\n',
      'should start with "mcp_agt_"',
    ],
    [['--preset', 'gateway-token', '--url', 'https://gw.example.com/mcp'], undefined, '--issuer'],
    [
      ['--preset', 'agent-token', '--url', 'https://p.example.com/mcp', '--auth', 'none'],
      undefined,
      'leave --auth out',
    ],
    [
      ['--preset', 'nope', '--url', 'https://p.example.com/mcp'],
      undefined,
      'Unknown preset "nope"',
    ],
  ];
  for (const [args, stdin, why] of cases) {
    const r = await run(['project', 'add', 'x', ...args], stdin);
    expect(r.code, args.join(' ')).not.toBe(0);
    expect(r.stderr, args.join(' ')).toContain(why);
  }
  const list = await run(['project', 'list', '--json']);
  expect(JSON.parse(list.stdout)).toEqual([]);
  const files = await fs.readdir(path.join(tmp.dataDir)).catch(() => [] as string[]);
  expect(files).not.toContain('tokens.json');
});

it('agent token: the bearer from stdin is what the server receives', async () => {
  const token = 'mcp_agt_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6';
  server = await startMcpTestServer({ token });
  const add = await run(
    ['project', 'add', 'proxy', '--preset', 'agent-token', '--url', server.url, '--token-stdin'],
    token + '\n',
  );
  expect(add.code, add.stderr).toBe(0);
  const test = await run(['test', 'proxy', '--json']);
  expect(test.code, test.stderr).toBe(0);
  expect(server.seen.length).toBeGreaterThan(0);
  expect(server.seen.every((s) => s.authorized)).toBe(true);
  expect(test.stdout).not.toContain(token);
});

it('gateway token: prints the issuer steps to mint a project-scoped token', async () => {
  const r = await run([
    'project',
    'add',
    'gw',
    '--preset',
    'gateway-token',
    '--url',
    'https://gw.example.com/mcp',
    '--issuer',
    'https://gw.example.com',
    '--issuer-project',
    'acme',
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('switchboard token add gw --kind issuer-key --token-stdin');
  expect(r.stdout).toContain('switchboard token mint gw');
});

it('another module can contribute a preset; an id is registered once', () => {
  const before = listPresets().length;
  registerPreset({
    id: 'test-vendor',
    title: 'Test vendor',
    summary: 'contributed by a test',
    group: 'vendor',
    auth: 'bearer',
    secrets: [{ kind: 'bearer', label: 'API key', hint: '' }],
    urlPlaceholder: 'https://x.example/mcp',
  });
  expect(listPresets().length).toBe(before + 1);
  expect(() => registerPreset({ ...listPresets().find((p) => p.id === 'test-vendor')! })).toThrow(
    'registered twice',
  );
});
