import { z } from 'zod';
import { TOKENS_FILE_VERSION } from '../shared/file-versions.js';

export const TOKEN_KINDS = [
  'bearer',
  'oauth-access',
  'oauth-refresh',
  'provisioned',
  'secret-header',
  'query-secret',
  'issuer-key',
] as const;
export const TokenKindSchema = z.enum(TOKEN_KINDS);
export type TokenKind = z.infer<typeof TokenKindSchema>;

export const TOKEN_SOURCES = ['pasted', 'minted', 'oauth', 'provisioned'] as const;
export const TokenSourceSchema = z.enum(TOKEN_SOURCES);
export type TokenSource = z.infer<typeof TokenSourceSchema>;

export const TOKEN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A token's metadata. The value itself is in the secret store under `id`; nothing here is
 * secret (the fingerprint is 12 hex chars of its SHA-256, which servers that hash tokens the same
 * way can match in their own audit).
 */
export const TokenRecordSchema = z.object({
  id: z.string().regex(/^tok_[a-z0-9]{10,}$/),
  projectId: z.string(),
  name: z.string().regex(TOKEN_NAME_RE),
  kind: TokenKindSchema,
  /** For kind secret-header: which header carries the value. */
  headerName: z.string().optional(),
  /** For kind query-secret: which URL query parameter carries the value. */
  queryParam: z.string().optional(),
  source: TokenSourceSchema,
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  /** Where it was minted, so it can be revoked there. */
  issuer: z
    .object({ kind: z.literal('gateway'), url: z.string(), remoteId: z.string() })
    .optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

export { TOKENS_FILE_VERSION };
export const TokensFileSchema = z.object({
  version: z.literal(TOKENS_FILE_VERSION),
  tokens: z.array(TokenRecordSchema),
});
export type TokensFile = z.infer<typeof TokensFileSchema>;

export const TOKEN_STATUSES = ['active', 'expiring-soon', 'expired', 'revoked'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];
