/**
 * What the conformance targets serve, shared by the 2025-era target (conformance-server.ts, SDK
 * v1) and the 2026-07-28 one (conformance-modern-server.ts, SDK v2): tool, resource and prompt
 * names are the ones the scenarios call.
 */

type Text = { type: 'text'; text: string };
type ToolResult = { content: Array<Record<string, unknown>>; isError?: boolean };

// 1×1 red PNG and a 44-byte silent WAV.
export const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
export const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=';

export const obj = (properties: Record<string, unknown> = {}, required: string[] = []) => ({
  type: 'object' as const,
  properties,
  ...(required.length ? { required } : {}),
});

export const TOOLS = [
  { name: 'test_simple_text', description: 'Returns simple text', inputSchema: obj() },
  { name: 'test_image_content', description: 'Returns an image', inputSchema: obj() },
  { name: 'test_audio_content', description: 'Returns audio', inputSchema: obj() },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded resource',
    inputSchema: obj(),
  },
  { name: 'test_multiple_content_types', description: 'Returns mixed content', inputSchema: obj() },
  { name: 'test_tool_with_logging', description: 'Logs while running', inputSchema: obj() },
  { name: 'test_error_handling', description: 'Always fails', inputSchema: obj() },
  { name: 'test_tool_with_progress', description: 'Reports progress', inputSchema: obj() },
  {
    name: 'test_sampling',
    description: 'Asks the client to sample',
    inputSchema: obj({ prompt: { type: 'string' } }, ['prompt']),
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for input',
    inputSchema: obj({ message: { type: 'string' } }, ['message']),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation with defaults',
    inputSchema: obj(),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with enums',
    inputSchema: obj(),
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object' as const,
      $defs: {
        address: {
          type: 'object',
          properties: { street: { type: 'string' }, city: { type: 'string' } },
        },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
  { name: 'test_reconnection', description: 'Closes its SSE stream mid-call', inputSchema: obj() },
];

export const RESOURCES = [
  {
    uri: 'test://static-text',
    name: 'static-text',
    description: 'A static text resource',
    mimeType: 'text/plain',
  },
  {
    uri: 'test://static-binary',
    name: 'static-binary',
    description: 'A static binary resource',
    mimeType: 'image/png',
  },
  {
    uri: 'test://watched-resource',
    name: 'watched-resource',
    description: 'A resource clients can subscribe to',
    mimeType: 'text/plain',
  },
];

export const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A prompt without arguments' },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt with an embedded resource',
    arguments: [{ name: 'resourceUri', description: 'URI to embed', required: true }],
  },
  { name: 'test_prompt_with_image', description: 'A prompt with an image' },
];

export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: 'test://template/{id}/data',
    name: 'template-data',
    description: 'Data for an id',
    mimeType: 'application/json',
  },
];

export const COMPLETION = {
  completion: { values: ['paris', 'park', 'party'], total: 3, hasMore: false },
};

const text = (t: string): { content: Text[] } => ({ content: [{ type: 'text', text: t }] });

/** The tools that need nothing from the client or the transport; undefined for the others. */
export function staticToolResult(name: string): ToolResult | undefined {
  switch (name) {
    case 'test_simple_text':
      return text('This is a simple text response for testing.');
    case 'test_image_content':
      return { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] };
    case 'test_audio_content':
      return { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] };
    case 'test_embedded_resource':
      return {
        content: [
          {
            type: 'resource',
            resource: {
              uri: 'test://embedded-resource',
              mimeType: 'text/plain',
              text: 'This is an embedded resource content.',
            },
          },
        ],
      };
    case 'test_multiple_content_types':
      return {
        content: [
          { type: 'text', text: 'Multiple content types test:' },
          { type: 'image', data: PNG, mimeType: 'image/png' },
          {
            type: 'resource',
            resource: {
              uri: 'test://mixed-content-resource',
              mimeType: 'application/json',
              text: JSON.stringify({ test: 'data', value: 123 }),
            },
          },
        ],
      };
    default:
      return undefined;
  }
}

/** `resources/read`; throws for an unknown URI. */
export function readResource(uri: string) {
  if (uri === 'test://static-text' || uri === 'test://watched-resource') {
    return {
      contents: [
        { uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
      ],
    };
  }
  if (uri === 'test://static-binary') {
    return { contents: [{ uri, mimeType: 'image/png', blob: PNG }] };
  }
  const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
  if (m) {
    const id = m[1];
    return {
      contents: [
        {
          uri,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    };
  }
  throw new Error(`Resource not found: ${uri}`);
}

/** `prompts/get`; throws for an unknown prompt. */
export function getPrompt(name: string, args: Record<string, string>) {
  switch (name) {
    case 'test_simple_prompt':
      return {
        messages: [
          {
            role: 'user',
            content: { type: 'text', text: 'This is a simple prompt for testing.' },
          },
        ],
      };
    case 'test_prompt_with_arguments':
      return {
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: `Prompt with arguments: arg1='${args.arg1 ?? ''}', arg2='${args.arg2 ?? ''}'`,
            },
          },
        ],
      };
    case 'test_prompt_with_embedded_resource':
      return {
        messages: [
          {
            role: 'user',
            content: {
              type: 'resource',
              resource: {
                uri: args.resourceUri ?? 'test://example-resource',
                mimeType: 'text/plain',
                text: 'Embedded resource content for testing.',
              },
            },
          },
          {
            role: 'user',
            content: { type: 'text', text: 'Please process the embedded resource above.' },
          },
        ],
      };
    case 'test_prompt_with_image':
      return {
        messages: [
          { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
          { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
        ],
      };
    default:
      throw new Error(`Unknown prompt ${name}`);
  }
}

/** `test_tool_with_progress`: three progress notifications 50 ms apart, then its text. */
export async function runProgressTool(
  token: string | number | undefined,
  notify: (n: {
    method: 'notifications/progress';
    params: Record<string, unknown>;
  }) => Promise<void>,
): Promise<{ content: Text[] }> {
  for (const progress of [0, 50, 100]) {
    if (token !== undefined) {
      await notify({
        method: 'notifications/progress',
        params: { progressToken: token, progress, total: 100 },
      });
    }
    if (progress < 100) await new Promise((r) => setTimeout(r, 50));
  }
  return text('Tool with progress executed successfully');
}

/** The DNS-rebinding guard's answer to a Host that is not localhost. */
export const FORBIDDEN_HOST_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: null,
  error: { code: -32000, message: 'Forbidden: Host not allowed' },
});
