import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CLI_PATH, REPO_ROOT } from './run-cli.js';

export interface V2BridgeClient {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * An SDK v2 Client in `versionNegotiation: auto` (what Python SDK and Claude Code do by default:
 * probe with `server/discover`, fall back to `initialize`) that spawns the real bridge.
 */
export async function connectV2BridgeClient(
  project: string,
  env: Record<string, string>,
): Promise<V2BridgeClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', project],
    env,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client(
    { name: 'switchboard-v2-host', version: '0.0.2' },
    {
      capabilities: { sampling: {}, elicitation: {}, roots: {} },
      versionNegotiation: { mode: 'auto', probe: { timeoutMs: 10_000 } },
    },
  );
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { name: 'Vee' },
  }));
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}
