import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { clientLocations } from '../clients/locations.js';
import {
  clientSpawnEnv,
  withoutSwitchboardVars,
  type ClientEnvKind,
} from '../testing/client-env.js';
import { auditMethods } from '../testing/audit-methods.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 17: clients spawn the bridge with a stripped environment (no DBUS_SESSION_BUS_ADDRESS).
// Real pieces only: the built CLI writes the entries, the real gnome-keyring session (with its bus
// at /run/user/<uid>/bus, as on a desktop: scripts/with-keyring.sh) holds the token, and the
// bridge is spawned with exactly what Claude Desktop (the SDK default) or Codex would give it.
const TOKEN = 'sbt_env_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4';

let tmp: TempHome;
let server: McpTestServer;

beforeEach(async () => {
  requireKeyringSession();
  tmp = await makeTempHome('sb-client-env-');
  server = await startMcpTestServer({ token: TOKEN });
});
afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

async function cli(args: string[], stdin?: string) {
  const r = await runCliProcess(args, { env: tmp.env, stdin });
  expect(r.code, `switchboard ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

async function addProject(client: string): Promise<Record<string, unknown>> {
  await cli(['project', 'add', 'acme', '--url', server.url, '--auth', 'bearer']);
  await cli(['token', 'add', 'acme', '--token-stdin'], TOKEN);
  await cli(['install', client, 'acme', '--yes']);
  const file = clientLocations({ platform: 'linux', env: tmp.env, home: tmp.home })[
    client as 'codex'
  ].user.at(-1)!;
  const text = await fs.readFile(file, 'utf8');
  expect(text).not.toContain(TOKEN);
  const doc = (client === 'codex' ? parseToml(text) : JSON.parse(text)) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  return (client === 'codex' ? doc.mcp_servers : doc.mcpServers)!.acme!;
}

async function callThrough(env: Record<string, string>, entry: Record<string, unknown>) {
  const transport = new StdioClientTransport({
    command: entry.command as string,
    args: entry.args as string[],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'stripped-env-client', version: '1.0.0' });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name: 'echo', arguments: { message: 'keychain' } });
    return { result, stderr: () => stderr };
  } finally {
    await client.close();
  }
}

it('Claude Desktop / SDK clients: getDefaultEnvironment() + the entry env reaches the keychain', async () => {
  const entry = await addProject('claude-desktop');
  const env = clientSpawnEnv(withoutSwitchboardVars(tmp.env), 'sdk-default', {
    entryEnv: { ...(entry.env as Record<string, string>), SWITCHBOARD_BRIDGE_DEBUG: '1' },
  });
  expect(Object.keys(env)).not.toContain('DBUS_SESSION_BUS_ADDRESS');
  expect(Object.keys(env)).not.toContain('XDG_RUNTIME_DIR');
  const { result, stderr } = await callThrough(env, entry);
  expect(result.content).toEqual([{ type: 'text', text: 'Echo: keychain' }]);
  expect(server.seen.length).toBeGreaterThan(0);
  expect(server.seen.every((r) => r.authorized)).toBe(true);
  expect(stderr()).toContain(`using the session bus at /run/user/${process.getuid!()}/bus`);
  expect(stderr()).not.toContain(TOKEN);
  expect(await auditMethods(tmp.dataDir)).toContain('tools/call');
});

it('Codex: its own inherited set + env + the env_vars the entry names reaches the keychain', async () => {
  const entry = await addProject('codex');
  // Names only: the entry never carries the values.
  expect(entry.env_vars).toEqual(['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR']);
  expect(JSON.stringify(entry)).not.toContain(tmp.env.DBUS_SESSION_BUS_ADDRESS!);
  const env = clientSpawnEnv(withoutSwitchboardVars(tmp.env), 'codex', {
    entryEnv: entry.env as Record<string, string>,
    envVars: entry.env_vars as string[],
  });
  expect(env.DBUS_SESSION_BUS_ADDRESS).toBe(tmp.env.DBUS_SESSION_BUS_ADDRESS);
  const { result } = await callThrough(env, entry);
  expect(result.content).toEqual([{ type: 'text', text: 'Echo: keychain' }]);
  expect(server.seen.every((r) => r.authorized)).toBe(true);
  expect(await auditMethods(tmp.dataDir)).toContain('tools/call');
});

it.each(['sdk-default', 'codex'] as ClientEnvKind[])(
  'without a session bus anywhere (%s, no env_vars) the answer is the keychain error that says what to do',
  async (kind) => {
    if (process.getuid?.() !== 0) {
      // Hiding /run/user needs a mount namespace; CI and this machine run as root.
      throw new Error('this test needs root for `unshare -m` (CI runs as root)');
    }
    const entry = await addProject('claude-desktop');
    const env = clientSpawnEnv(withoutSwitchboardVars(tmp.env), kind, {
      entryEnv: entry.env as Record<string, string>,
    });
    // The same bridge, on a machine whose /run/user has no bus.
    const child = spawn(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        'mount -t tmpfs none /run/user && exec "$0" "$@"',
        entry.command as string,
        ...(entry.args as string[]),
      ],
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    child.stdin.write(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'x', version: '1' },
        },
      }) + '\n',
    );
    const deadline = Date.now() + 15_000;
    while (!out.includes('\n') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    await exited;
    const answer = JSON.parse(out.split('\n')[0]!) as { error?: { code: number; message: string } };
    expect(answer.error?.code).toBe(-32081);
    expect(answer.error?.message).toContain('No D-Bus session bus was found');
    expect(answer.error?.message).toContain('DBUS_SESSION_BUS_ADDRESS');
    expect(server.seen.filter((r) => r.authorized)).toEqual([]);
  },
);
