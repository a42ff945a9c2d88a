import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  COMPLETION,
  FORBIDDEN_HOST_BODY,
  PROMPTS,
  RESOURCES,
  RESOURCE_TEMPLATES,
  TOOLS,
  getPrompt,
  readResource,
  runProgressTool,
  staticToolResult,
} from './conformance-content.js';
import { isLocalHostHeader } from './conformance-server.js';

/**
 * Our target for the 2026-07-28 conformance *server* scenarios: the same tools, resources and
 * prompts as the 2025 target, served statelessly by SDK v2 (`createMcpHandler`,
 * `legacy: 'reject'`), Host-checked, on 127.0.0.1. Tools that need a 2025 server→client
 * request (sampling, elicitation) or a resumable stream are not in this era's scenarios and
 * answer with an error.
 */
function buildServer(): Server {
  const server = new Server(
    { name: 'switchboard-conformance-target-2026', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
      },
    },
  );
  const cached = { ttlMs: 0, cacheScope: 'private' as const };
  server.setRequestHandler('tools/list', async () => ({ tools: TOOLS as never, ...cached }));
  server.setRequestHandler('tools/call', async (req, ctx) => {
    const fixed = staticToolResult(req.params.name);
    if (fixed) return fixed as never;
    if (req.params.name === 'test_tool_with_progress') {
      return runProgressTool(req.params._meta?.progressToken, (n) => ctx.mcpReq.notify(n));
    }
    return {
      isError: true,
      content: [{ type: 'text', text: `Tool ${req.params.name} is not served in 2026-07-28` }],
    };
  });
  server.setRequestHandler('resources/list', async () => ({
    resources: RESOURCES,
    ...cached,
  }));
  server.setRequestHandler('resources/templates/list', async () => ({
    resourceTemplates: RESOURCE_TEMPLATES,
    ...cached,
  }));
  server.setRequestHandler(
    'resources/read',
    async (req) => ({ ...readResource(req.params.uri), ...cached }) as never,
  );
  server.setRequestHandler('prompts/list', async () => ({ prompts: PROMPTS, ...cached }));
  server.setRequestHandler(
    'prompts/get',
    async (req) => getPrompt(req.params.name, req.params.arguments ?? {}) as never,
  );
  server.setRequestHandler('completion/complete', async () => COMPLETION);
  return server;
}

export async function startModernConformanceServer(): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const handler = createMcpHandler(() => buildServer(), { legacy: 'reject', keepAliveMs: 0 });
  const node = toNodeHandler(handler);
  const httpServer = http.createServer((req, res) => {
    if (!isLocalHostHeader(req.headers.host)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(FORBIDDEN_HOST_BODY);
      return;
    }
    void node(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await handler.close().catch(() => undefined);
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
