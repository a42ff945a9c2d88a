import fs from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { clientLocations } from './locations.js';

const TOKEN = 'sbt_e2e_' + 'Q8w7E6r5T4y3U2i1O0p9A8s7D6f5G4h3';

let tmp: TempHome;
let env: NodeJS.ProcessEnv;
let server: McpTestServer;

beforeEach(async () => {
  tmp = await makeTempHome('sb-install-e2e-');
  // The explicit file secret store, so this runs without a desktop keychain.
  env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' };
  server = await startMcpTestServer({ token: TOKEN });
});
afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

async function cli(args: string[], stdin?: string) {
  const r = await runCliProcess(args, { env, stdin });
  expect(r.code, `switchboard ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

it('what install writes into Claude Desktop runs: spawn it, list tools, call one through the bridge', async () => {
  await cli(['project', 'add', 'local', '--url', server.url, '--auth', 'bearer']);
  await cli(['token', 'add', 'local', '--token-stdin'], TOKEN);
  const dry = await cli(['install', 'claude-desktop', 'local', '--dry-run']);
  expect(dry.stdout).toContain('+    "local": {');
  const configPath = clientLocations({ platform: 'linux', env, home: tmp.home })['claude-desktop']
    .user[0]!;
  await expect(fs.access(configPath)).rejects.toThrow();
  const installed = await cli(['install', 'claude-desktop', 'local', '--yes']);
  expect(installed.stdout).toContain('Quit Claude Desktop from its tray');

  // Exactly what Claude Desktop would spawn: command, args and env from the file.
  const config = JSON.parse(await fs.readFile(configPath, 'utf8')) as {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  };
  const entry = config.mcpServers.local!;
  expect(JSON.stringify(config)).not.toContain(TOKEN);
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    // A client's own minimal environment (HOME = the temp home) plus the entry's env.
    env: { ...getDefaultEnvironment(), HOME: tmp.home, ...entry.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
  try {
    await client.connect(transport);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'via bridge' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: via bridge' }]);
    expect(server.calls.get('echo')).toBe(1);
    expect(server.seen.every((r) => r.authorized)).toBe(true);
  } finally {
    await client.close();
  }
  expect(stderr).not.toContain(TOKEN);

  // No client config holds the token after install, and uninstall restores the absence.
  expect(
    await findSecretsInFiles([tmp.home], [TOKEN]).then((hits) =>
      hits.filter((h) => !h.startsWith(tmp.dataDir)),
    ),
  ).toEqual([]);
  await cli(['uninstall', 'claude-desktop', 'local', '--yes']);
  await expect(fs.access(configPath)).rejects.toThrow();
});
