import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
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

/**
 * Our own target for the conformance *server* scenarios (tool, resource and prompt names are
 * the ones the scenarios call), written from the scenario descriptions. Stateful, resumable
 * (event store + retry interval), Host-checked, on 127.0.0.1.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

function buildServer(transportOf: () => StreamableHTTPServerTransport): Server {
  const server = new Server(
    { name: 'switchboard-conformance-target', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );
  const subscriptions = new Set<string>();

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => {
    const args = (req.params.arguments ?? {}) as Record<string, unknown>;
    const log = (data: string) =>
      extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data } });
    switch (req.params.name) {
      case 'test_tool_with_logging':
        await log('Tool execution started');
        await sleep(50);
        await log('Tool processing data');
        await sleep(50);
        await log('Tool execution completed');
        return text('Tool with logging executed successfully');
      case 'test_error_handling':
        return {
          isError: true,
          content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
        };
      case 'test_tool_with_progress':
        return runProgressTool(req.params._meta?.progressToken, (n) => extra.sendNotification(n));
      case 'test_sampling': {
        const r = await extra.sendRequest(
          {
            method: 'sampling/createMessage',
            params: {
              messages: [
                { role: 'user', content: { type: 'text', text: String(args.prompt ?? '') } },
              ],
              maxTokens: 100,
            },
          },
          CreateMessageResultSchema,
        );
        const said = 'text' in r.content ? r.content.text : JSON.stringify(r.content);
        return text(`LLM response: ${said}`);
      }
      case 'test_elicitation': {
        const r = await extra.sendRequest(
          {
            method: 'elicitation/create',
            params: {
              message: String(args.message ?? ''),
              requestedSchema: {
                type: 'object',
                properties: {
                  username: { type: 'string', description: "User's response" },
                  email: { type: 'string', description: "User's email address" },
                },
                required: ['username', 'email'],
              },
            },
          },
          ElicitResultSchema,
        );
        return text(
          `User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`,
        );
      }
      case 'test_elicitation_sep1034_defaults': {
        const r = await extra.sendRequest(
          {
            method: 'elicitation/create',
            params: {
              message: 'Please review and update the form fields with defaults',
              requestedSchema: {
                type: 'object',
                properties: {
                  name: { type: 'string', description: 'User name', default: 'John Doe' },
                  age: { type: 'integer', description: 'User age', default: 30 },
                  score: { type: 'number', description: 'User score', default: 95.5 },
                  status: {
                    type: 'string',
                    description: 'User status',
                    enum: ['active', 'inactive', 'pending'],
                    default: 'active',
                  },
                  verified: { type: 'boolean', description: 'Verified', default: true },
                },
                required: [],
              },
            },
          },
          ElicitResultSchema,
        );
        return text(
          `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`,
        );
      }
      case 'test_elicitation_sep1330_enums': {
        const r = await extra.sendRequest(
          {
            method: 'elicitation/create',
            params: {
              message: 'Please select options from the enum fields',
              requestedSchema: {
                type: 'object',
                properties: {
                  untitledSingle: {
                    type: 'string',
                    description: 'Untitled single-select',
                    enum: ['option1', 'option2', 'option3'],
                  },
                  titledSingle: {
                    type: 'string',
                    description: 'Titled single-select',
                    oneOf: [
                      { const: 'value1', title: 'First Option' },
                      { const: 'value2', title: 'Second Option' },
                      { const: 'value3', title: 'Third Option' },
                    ],
                  },
                  legacyEnum: {
                    type: 'string',
                    description: 'Legacy titled enum',
                    enum: ['opt1', 'opt2', 'opt3'],
                    enumNames: ['Option One', 'Option Two', 'Option Three'],
                  },
                  untitledMulti: {
                    type: 'array',
                    description: 'Untitled multi-select',
                    items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
                  },
                  titledMulti: {
                    type: 'array',
                    description: 'Titled multi-select',
                    items: {
                      anyOf: [
                        { const: 'value1', title: 'First Choice' },
                        { const: 'value2', title: 'Second Choice' },
                        { const: 'value3', title: 'Third Choice' },
                      ],
                    },
                  },
                },
                required: [],
              },
            },
          } as never,
          ElicitResultSchema,
        );
        return text(
          `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`,
        );
      }
      case 'test_reconnection': {
        // Close the POST stream mid-call; the answer arrives when the client resumes (SEP-1699).
        await sleep(50);
        transportOf().closeSSEStream(extra.requestId);
        await sleep(200);
        return text('Reconnection test completed');
      }
      default:
        return (
          (staticToolResult(req.params.name) as CallToolResult | undefined) ?? {
            isError: true,
            content: [{ type: 'text', text: `Unknown tool ${req.params.name}` }],
          }
        );
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: RESOURCE_TEMPLATES,
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => readResource(req.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    subscriptions.add(req.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscriptions.delete(req.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (req) =>
    getPrompt(req.params.name, req.params.arguments ?? {}),
  );
  server.setRequestHandler(CompleteRequestSchema, async () => COMPLETION);
  server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
  return server;
}

/** True for localhost, 127.0.0.1 and [::1] with any port: the DNS-rebinding guard. */
export function isLocalHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(host);
}

export async function startConformanceServer(port = 0): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      if (!isLocalHostHeader(req.headers.host)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(FORBIDDEN_HOST_BODY);
        return;
      }
      const sid = req.headers['mcp-session-id'];
      const id = Array.isArray(sid) ? sid[0] : sid;
      let transport = id ? sessions.get(id) : undefined;
      if (id && !transport) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32001, message: 'Session not found' },
          }),
        );
        return;
      }
      if (!transport) {
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          eventStore: new InMemoryEventStore(),
          retryInterval: 200,
          onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
        });
        created.onclose = () => {
          if (created.sessionId) sessions.delete(created.sessionId);
        };
        await buildServer(() => created).connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  const actual = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/mcp`,
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
