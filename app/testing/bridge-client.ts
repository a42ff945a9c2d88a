import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { clientSpawnEnv, type ClientEnvKind } from './client-env.js';
import { CLI_PATH, REPO_ROOT } from './run-cli.js';

export interface BridgeClient {
  client: Client;
  /** Every message the client received, counted at the transport (onprogress can drop some). */
  received: JSONRPCMessage[];
  served: { sampling: number; elicitation: number; roots: number };
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * An SDK stdio Client that spawns the real bridge and declares every client capability
 * (sampling, elicitation, roots), answering the server's requests like a real host would.
 */
export async function connectBridgeClient(
  project: string,
  env: NodeJS.ProcessEnv,
  opts: { clientEnv?: ClientEnvKind } = {},
): Promise<BridgeClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', project],
    // What a client passes, taken from the machine's (temp-HOME) environment `env`.
    env: clientSpawnEnv(env, opts.clientEnv),
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client(
    { name: 'switchboard-test-host', version: '0.0.1' },
    { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } },
  );
  const served = { sampling: 0, elicitation: 0, roots: 0 };
  client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
    served.sampling++;
    const first = req.params.messages[0]?.content;
    const said = first && 'text' in first ? String(first.text) : '';
    return {
      role: 'assistant',
      model: 'test-model',
      content: { type: 'text', text: `sampled(${said.length})` },
    };
  });
  client.setRequestHandler(ElicitRequestSchema, async () => {
    served.elicitation++;
    return { action: 'decline' };
  });
  client.setRequestHandler(ListRootsRequestSchema, async () => {
    served.roots++;
    return { roots: [{ uri: 'file:///tmp/switchboard-test-root', name: 'test-root' }] };
  });
  const received: JSONRPCMessage[] = [];
  const connect = client.connect(transport);
  // The Client installs its handler in connect(); wrap it right after to count everything.
  const inner = transport.onmessage;
  transport.onmessage = (m: JSONRPCMessage) => {
    received.push(m);
    inner?.(m);
  };
  await connect;
  return {
    client,
    received,
    served,
    stderr: () => err,
    close: () => client.close(),
  };
}
