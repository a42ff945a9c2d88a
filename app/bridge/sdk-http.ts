// The SDK's Streamable HTTP client transport (SWITCHBOARD_BRIDGE_TRANSPORT=sdk) as a module of
// its own: the CommonJS bridge bundle loads it from the ESM bundle (sdk-http.mjs) instead of
// inlining it and its zod schemas (scripts/build-cli.mjs).
export {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
