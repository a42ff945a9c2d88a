// The SDK's token-endpoint calls a bridge needs (refresh), as a module of its own: the CommonJS
// bridge bundle loads it from the ESM bundle (oauth-token-endpoint.mjs) only when a refresh is
// due, instead of inlining the SDK client and its zod schemas (scripts/build-cli.mjs).
export { OAuthError, refreshAuthorization } from '@modelcontextprotocol/client';
