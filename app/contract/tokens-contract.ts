import { z } from 'zod';
import { TOKEN_STATUSES, TokenRecordSchema } from '../tokens/token.js';

/** Token metadata as the renderer sees it: never the value (strict: extra fields fail). */
export const TokenViewSchema = z.strictObject({
  ...TokenRecordSchema.shape,
  issuer: z.strictObject(TokenRecordSchema.shape.issuer.unwrap().shape).optional(),
  projectName: z.string(),
  status: z.enum(TOKEN_STATUSES),
  expiresInMs: z.number().optional(),
  urgency: z.enum(['soon', 'urgent']).optional(),
});
export type TokenViewDto = z.infer<typeof TokenViewSchema>;

/**
 * The one response that carries a secret to a window: a freshly minted value, for the
 * shown-once dialog. Pasted values are never echoed back.
 */
const IssuedSchema = z.strictObject({
  token: TokenViewSchema,
  mintedValue: z.string().optional(),
  replaced: TokenViewSchema.optional(),
});
export type IssuedDto = z.infer<typeof IssuedSchema>;

const Secret = z
  .string()
  .min(1)
  .max(64 * 1024);
const TokenKindInput = z.enum(['bearer', 'secret-header', 'query-secret', 'issuer-key']);

export const TestReportSchema = z.strictObject({
  ok: z.boolean(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  url: z.string(),
  project: z.string().optional(),
  server: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  protocolVersion: z.string().optional(),
  tools: z.array(z.string()),
  missingTools: z.array(z.string()),
  call: z.strictObject({ tool: z.string(), isError: z.boolean(), preview: z.string() }).optional(),
  timings: z.strictObject({
    initializeMs: z.number().optional(),
    listToolsMs: z.number().optional(),
    callMs: z.number().optional(),
    totalMs: z.number(),
  }),
  failure: z
    .strictObject({
      kind: z.enum(['transport', 'auth', 'contract']),
      stage: z.enum(['initialize', 'tools/list', 'tools/call', 'expectations']),
      message: z.string(),
      httpStatus: z.number().optional(),
    })
    .optional(),
});
export type TestReportDto = z.infer<typeof TestReportSchema>;

export const tokensContract = {
  'tokens.list': {
    input: z.strictObject({ project: z.string().optional() }).optional(),
    output: z.array(TokenViewSchema),
  },
  'tokens.add': {
    input: z.strictObject({
      project: z.string(),
      value: Secret,
      name: z.string().optional(),
      kind: TokenKindInput.optional(),
      headerName: z.string().optional(),
      queryParam: z.string().optional(),
      expires: z.string().optional(),
    }),
    output: IssuedSchema,
  },
  'tokens.mint': {
    input: z.strictObject({
      project: z.string(),
      name: z.string().optional(),
      ttl: z.string().optional(),
    }),
    output: IssuedSchema,
  },
  'tokens.rotate': {
    input: z.strictObject({
      project: z.string(),
      name: z.string().optional(),
      value: Secret.optional(),
      ttl: z.string().optional(),
    }),
    output: IssuedSchema,
  },
  'tokens.revoke': {
    input: z.strictObject({ project: z.string(), token: z.string() }),
    output: TokenViewSchema,
  },
  'tokens.remove': {
    input: z.strictObject({ project: z.string(), token: z.string() }),
    output: TokenViewSchema,
  },
  /** Tests a saved project, or a URL (with an optional pasted token) before it is saved. */
  'connection.test': {
    input: z.union([
      z.strictObject({
        project: z.string(),
        expectTools: z.array(z.string()).optional(),
        timeoutMs: z.number().int().positive().optional(),
      }),
      z.strictObject({
        url: z.string(),
        token: Secret.optional(),
        headers: z.record(z.string(), z.string()).optional(),
        timeoutMs: z.number().int().positive().optional(),
      }),
    ]),
    output: TestReportSchema,
  },
} as const;

export const tokensEvents = {
  'tokens.changed': z.array(TokenViewSchema),
} as const;
