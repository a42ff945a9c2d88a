// The conformance *client* for the auth scenarios: Switchboard itself, as a user runs it. The
// scenario server's URL (last argument) becomes an OAuth project (`project add --auth oauth`,
// with the pre-registered client from MCP_CONFORMANCE_CONTEXT when the scenario gives one),
// `switchboard login --consent` signs in through a BROWSER command that follows the redirect
// chain, and an SDK stdio client calls every tool through a real `switchboard bridge`. When the
// bridge answers "sign-in needed" or "permission needed" (-32081), it signs in again — as the
// user would after the app's notification — and retries; Switchboard's own limits bound that.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH, runCliProcess } from './run-cli.js';
import { fetchBrowserCommand } from './fetch-browser-command.js';

const url = process.argv.at(-1) ?? '';
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as {
  client_id?: string;
  client_secret?: string;
};
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conf-auth-'));
const dataDir = path.join(home, 'data');
// A throwaway HOME: the explicit file secret store, so this runs without a desktop keychain.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  SWITCHBOARD_HOME: dataDir,
  SWITCHBOARD_SECRET_STORE: 'file',
  BROWSER: fetchBrowserCommand(),
  // The scenario AS serves no document; basic-cimd only checks that this URL is the client_id.
  SWITCHBOARD_OAUTH_CLIENT_METADATA_URL: 'https://conformance-test.local/client-metadata.json',
};
const MAX_SIGN_INS = 4;

async function cli(args: string[], stdin?: string): Promise<boolean> {
  const r = await runCliProcess(args, {
    env,
    ...(stdin !== undefined ? { stdin } : {}),
    timeoutMs: 25_000,
  });
  if (r.code !== 0) process.stderr.write(`switchboard ${args[0]}: ${r.stderr}`);
  return r.code === 0;
}

async function callEveryTool(): Promise<'done' | 'sign-in'> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', 'scenario'],
    env: env as Record<string, string>,
    stderr: 'inherit',
  });
  const client = new Client({ name: 'switchboard-conformance-oauth', version: '1.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    for (const tool of tools) await client.callTool({ name: tool.name, arguments: {} });
    return 'done';
  } catch (error) {
    const e = error as { code?: number; message?: string };
    if (e.code === -32081 && /sign-in needed|permission needed/.test(e.message ?? ''))
      return 'sign-in';
    throw error;
  } finally {
    await client.close().catch(() => undefined);
  }
}

let code = 1;
try {
  const add = ['project', 'add', 'scenario', '--url', url, '--auth', 'oauth'];
  if (context.client_id) {
    add.push('--oauth-client-id', context.client_id);
    if (context.client_secret) add.push('--oauth-client-secret-stdin');
  }
  if (!(await cli(add, context.client_secret))) throw new Error('project add failed');
  for (let signIns = 0; signIns < MAX_SIGN_INS; signIns++) {
    if (!(await cli(['login', 'scenario', '--consent', '--timeout', '20']))) break;
    if ((await callEveryTool()) === 'done') {
      code = 0;
      break;
    }
  }
} catch (error) {
  process.stderr.write(`conformance oauth client (${scenario}): ${(error as Error).message}\n`);
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
process.exit(code);
