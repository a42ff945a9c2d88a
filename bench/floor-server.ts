// The runtime floor for cold start: the least a Node stdio MCP server can do — answer
// `initialize` (and `echo`) itself, no network, no SDK. A bridge's cold start is reported as a
// ratio to this, measured in the same run.
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let m: { id?: unknown; method?: string; params?: { protocolVersion?: string } };
  try {
    m = JSON.parse(line) as typeof m;
  } catch {
    return;
  }
  if (m.id === undefined || m.id === null) return;
  const result =
    m.method === 'initialize'
      ? {
          protocolVersion: m.params?.protocolVersion ?? '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'floor', version: '1' },
        }
      : m.method === 'tools/call'
        ? { content: [{ type: 'text', text: 'echo' }] }
        : {};
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\n');
});
rl.on('close', () => process.exit(0));
