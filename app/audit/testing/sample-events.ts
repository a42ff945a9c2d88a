import type { AuditWriteInput } from '../audit-event.js';

const TOOLS = ['echo', 'add', 'longRunningOperation', 'printEnv', 'sampleLLM', 'getTinyImage'];

/**
 * A realistic request/response pair for tool call number `i`: sizes and fields like a bridge
 * writes them (every 17th call fails).
 */
export function sampleExchange(
  i: number,
  opts: { projectId: string; client: string; ts?: string },
): [AuditWriteInput, AuditWriteInput] {
  const tool = TOOLS[i % TOOLS.length]!;
  const fails = i % 17 === 16;
  const common = {
    projectId: opts.projectId,
    client: { name: opts.client, version: '1.0.0' },
    method: 'tools/call',
    id: String(i),
    target: tool,
    ...(opts.ts ? { ts: opts.ts } : {}),
  };
  const request: AuditWriteInput = {
    ...common,
    direction: 'client->server',
    kind: 'request',
    payload: {
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: tool, arguments: { message: `hello number ${i}`, a: i, b: i * 2 } },
    },
  };
  const response: AuditWriteInput = fails
    ? {
        ...common,
        direction: 'server->client',
        kind: 'error',
        status: 'error',
        errorCode: -32603,
        errorMessage: `tool ${tool} failed`,
        durationMs: 3 + (i % 40),
        payload: { jsonrpc: '2.0', id: i, error: { code: -32603, message: `tool ${tool} failed` } },
      }
    : {
        ...common,
        direction: 'server->client',
        kind: 'response',
        status: 'ok',
        durationMs: 3 + (i % 40),
        payload: {
          jsonrpc: '2.0',
          id: i,
          result: { content: [{ type: 'text', text: `Echo: hello number ${i}` }] },
        },
      };
  return [request, response];
}
