import { z } from 'zod';

/**
 * OAuth sign-in as the window sees it. No channel ever carries a token or a client secret:
 * the grant view has only what the records in the data dir hold (issuer, scopes, expiry…).
 */

/** Where each requested scope came from (shown next to it in the consent dialog). */
export const ScopeSourceSchema = z.enum(['challenge', 'scopes_supported', 'user', 'granted']);

/** The client identity the sign-in will use, in the spec's registration order. */
export const OAuthClientIdentitySchema = z.strictObject({
  kind: z.enum(['pre-registered', 'metadata-document', 'dynamic']),
  /** The pre-registered id or the metadata document URL; absent for "registers itself dynamically". */
  clientId: z.string().optional(),
});

/** Everything the consent dialog shows before the browser opens. */
export const OAuthConsentPreviewSchema = z.strictObject({
  project: z.string(),
  projectId: z.string(),
  serverUrl: z.string(),
  /** The canonical resource (RFC 8707) the grant is bound to. */
  resource: z.string(),
  issuer: z.string(),
  client: OAuthClientIdentitySchema,
  scopes: z.array(z.strictObject({ scope: z.string(), source: ScopeSourceSchema })),
  /** Every scope the server advertises (for the "requested vs. advertised" diff). */
  scopesSupported: z.array(z.string()),
  /** Set when the request is every advertised scope or contains admin-like scopes. */
  fullScope: z.boolean(),
  fullScopeReason: z.string().optional(),
  /** Client ids (claude-desktop, cursor…) that have this project installed and share the grant. */
  sharedWith: z.array(z.string()),
  storage: z.enum(['keychain', 'file']),
  /** `granted`: this exact request was consented to before; `needed`: ask (see `changed`). */
  consent: z.enum(['granted', 'needed']),
  changed: z.array(z.string()),
});
export type OAuthConsentPreviewDto = z.infer<typeof OAuthConsentPreviewSchema>;

export const SIGN_IN_STAGES = [
  'discovering',
  'waiting-for-browser',
  'exchanging',
  'done',
  'failed',
  'cancelled',
] as const;

export const SignInProgressSchema = z.strictObject({
  signInId: z.string(),
  project: z.string(),
  stage: z.enum(SIGN_IN_STAGES),
  /** failed: what happened and what to do (never a server's raw error text after an iss mismatch). */
  message: z.string().optional(),
});
export type SignInProgressDto = z.infer<typeof SignInProgressSchema>;

/** The grant as the token panel shows it. */
export const OAuthGrantViewSchema = z.strictObject({
  project: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  accessExpiresAt: z.string().nullable(),
  refreshPresent: z.boolean(),
  lastRefreshAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
  grantedAt: z.string(),
  status: z.enum(['signed-in', 'refreshing', 'sign-in-needed', 'permission-needed']),
  /** permission-needed: the scopes the server asked for. */
  neededScopes: z.array(z.string()).optional(),
});
export type OAuthGrantViewDto = z.infer<typeof OAuthGrantViewSchema>;

export const OAuthDetectionSchema = z.strictObject({
  oauth: z.boolean(),
  issuer: z.string().optional(),
  resource: z.string().optional(),
  scopesSupported: z.array(z.string()).optional(),
  /** Why it is (not) OAuth, in words: "401 with resource_metadata", "no protected-resource metadata". */
  reason: z.string(),
});
export type OAuthDetectionDto = z.infer<typeof OAuthDetectionSchema>;

/** Per project id: the sign-in state bridges and sign-ins record (auth-status.json). */
export const AuthStatusesSchema = z.record(
  z.string(),
  z.strictObject({
    status: z.enum(['signed-in', 'refreshing', 'sign-in-needed', 'permission-needed']),
    scopes: z.array(z.string()).optional(),
    message: z.string().optional(),
    since: z.string(),
  }),
);
export type AuthStatusesDto = z.infer<typeof AuthStatusesSchema>;

const Scopes = z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).max(64);

export const oauthContract = {
  /** The sign-in state of every project that has one (for status pills). */
  'oauth.statuses': { input: z.undefined(), output: AuthStatusesSchema },
  /** Add-project flow: is this URL an OAuth-protected MCP server? */
  'oauth.detect': {
    input: z.strictObject({ url: z.string() }),
    output: OAuthDetectionSchema,
  },
  /** The consent dialog's content; runs discovery, registers nothing. */
  'oauth.preview': {
    input: z.strictObject({ project: z.string(), scopes: Scopes.optional() }),
    output: OAuthConsentPreviewSchema,
  },
  /**
   * Records the consent the user just gave in the dialog and starts the sign-in; resolves at
   * once with its id, progress arrives as `oauth.progress` events.
   */
  'oauth.signIn': {
    input: z.strictObject({
      project: z.string(),
      scopes: Scopes.optional(),
      consented: z.literal(true),
    }),
    output: z.strictObject({ signInId: z.string() }),
  },
  'oauth.cancel': {
    input: z.strictObject({ signInId: z.string() }),
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  'oauth.grant': {
    input: z.strictObject({ project: z.string() }),
    output: OAuthGrantViewSchema.nullable(),
  },
  /** RFC 7009 revocation where offered, then keychain entries and records deleted. */
  'oauth.signOut': {
    input: z.strictObject({ project: z.string() }),
    output: z.strictObject({ revoked: z.array(z.enum(['refresh_token', 'access_token'])) }),
  },
} as const;

export const oauthEvents = {
  'oauth.progress': SignInProgressSchema,
  'oauth.statusesChanged': AuthStatusesSchema,
} as const;
