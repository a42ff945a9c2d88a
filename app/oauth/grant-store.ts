import path from 'node:path';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/client';
import { JsonStore } from '../store/json-store.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import {
  arrayOf,
  bool,
  literal,
  nullable,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  shapeValidator,
  str,
} from '../store/shape.js';
import type { SecretStore } from '../vault/secret-store.js';
import type { ProjectAuthStatus } from './auth-status.js';

// zod-free on purpose: bridges read and write this file when they refresh (store/shape.ts).

/**
 * `oauth.json` in the data dir: per project, the grant (never a token: issuer, client id, scopes,
 * expiry, whether a refresh token exists, when it was last refreshed and used), the client
 * registrations keyed by AS issuer, and a pre-registered client if the user configured one.
 * The tokens themselves live in one keychain entry per project (`tokensAccount`), written as a
 * single value so a reader never sees a new access token with an old refresh token.
 */
export const OAUTH_FILE = 'oauth.json';
export const OAUTH_FILE_VERSION = 1;

export const CLIENT_KINDS = ['pre-registered', 'metadata-document', 'dynamic'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export interface GrantRecord {
  issuer: string;
  authorizationServerUrl: string;
  /** The AS metadata the grant was made with (endpoints, auth methods), for refresh and revoke. */
  metadata: AuthorizationServerMetadata;
  resource: string;
  clientId: string;
  clientKind: ClientKind;
  /** Scopes granted (the token response's `scope`, else what was requested). */
  scopes: string[];
  grantedAt: string;
  /** When the current access token was issued (for the ¾-lifetime refresh rule). */
  issuedAt: string;
  accessExpiresAt: string | null;
  refreshPresent: boolean;
  lastRefreshAt?: string;
  lastUsedAt?: string;
  /** The grant can no longer be used or refreshed (refresh refused, expired without refresh). */
  needsSignIn?: boolean;
  /** Step-up sign-ins made per missing-scope set (space-joined, sorted), for the retry limit. */
  stepUps?: Record<string, number>;
  /** Bumped on every token write: other processes re-read the keychain when it changes. */
  generation: number;
  /** The grant came from mcp-remote's plaintext files (their hash) and a call verified it. */
  imported?: { from: 'mcp-remote'; hash: string; at: string };
  /**
   * An import of mcp-remote's grant written but not verified yet (or interrupted while it was
   * being verified): no bridge uses it (it counts as sign-in-needed), only the importer's own
   * check does; doctor rolls it back once its process is gone. Cleared, in the same write that
   * sets `imported`, only after the check call, the consent record and the status.
   */
  pending?: PendingImport;
}

export interface PendingImport {
  from: 'mcp-remote';
  hash: string;
  /** The project's name then, for the rollback's message. */
  project: string;
  /** The importing process, so a rollback never races an import still running. */
  pid: number;
  since: string;
  /** The generation the import wrote: a higher one means the check refreshed the token. */
  generation: number;
  /** The project's sign-in status before the import, put back exactly by a rollback. */
  previousStatus?: ProjectAuthStatus;
}

export interface ClientRegistration {
  clientId: string;
  kind: ClientKind;
  /** A DCR client secret is in the keychain under `registrationSecretAccount`. */
  hasSecret: boolean;
  registeredAt: string;
  /**
   * mcp-remote registered this client (imported with its grant, for refresh and revocation).
   * Its redirect URI is mcp-remote's, so a sign-in through Switchboard registers anew.
   */
  importedFrom?: 'mcp-remote';
}

export interface PreRegisteredClient {
  clientId: string;
  /** The secret (if any) is in the keychain under `preRegisteredSecretAccount`. */
  hasSecret: boolean;
}

export interface OAuthFile {
  version: typeof OAUTH_FILE_VERSION;
  grants: Record<string, GrantRecord>;
  /** projectId → issuer → registration. A new issuer means a new registration, never reuse. */
  registrations: Record<string, Record<string, ClientRegistration>>;
  preRegistered: Record<string, PreRegisteredClient>;
}

const shape = shapeValidator<OAuthFile>(
  object({
    version: literal(OAUTH_FILE_VERSION),
    grants: recordOf(
      object({
        issuer: str,
        authorizationServerUrl: str,
        metadata: object({ issuer: str, token_endpoint: str }),
        resource: str,
        clientId: str,
        clientKind: oneOf([...CLIENT_KINDS]),
        scopes: arrayOf(str),
        grantedAt: str,
        issuedAt: str,
        accessExpiresAt: nullable(str),
        refreshPresent: bool,
        lastRefreshAt: optional(str),
        lastUsedAt: optional(str),
        generation: number,
      }),
    ),
    registrations: recordOf(
      recordOf(object({ clientId: str, kind: oneOf([...CLIENT_KINDS]), hasSecret: bool })),
    ),
    preRegistered: recordOf(object({ clientId: str, hasSecret: bool })),
  }),
);

/** Notifies on any change to oauth.json, from this process or another (an import, a refresh). */
export function watchGrants(dataDir: string, onChange: () => void): FileWatcher {
  return watchFile(path.join(dataDir, OAUTH_FILE), onChange);
}

export function oauthStore(dataDir: string): JsonStore<OAuthFile> {
  return new JsonStore<OAuthFile>({
    path: path.join(dataDir, OAUTH_FILE),
    schema: shape,
    version: OAUTH_FILE_VERSION,
    empty: () => ({
      version: OAUTH_FILE_VERSION,
      grants: {},
      registrations: {},
      preRegistered: {},
    }),
  });
}

/** What the keychain holds for a project's grant (one entry, JSON). */
export interface StoredTokens {
  access_token: string;
  refresh_token?: string;
  /** Equals the grant record's generation when both were written together. */
  generation: number;
}

export const tokensAccount = (projectId: string) => `oauth-tokens:${projectId}`;
export const preRegisteredSecretAccount = (projectId: string) => `oauth-client-secret:${projectId}`;
export const registrationSecretAccount = (projectId: string, issuer: string) =>
  `oauth-registration-secret:${projectId}:${issuer}`;

export async function readStoredTokens(
  secrets: SecretStore,
  projectId: string,
): Promise<StoredTokens | undefined> {
  const raw = await secrets.get(tokensAccount(projectId));
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredTokens>;
    if (typeof parsed.access_token !== 'string' || typeof parsed.generation !== 'number') {
      return undefined;
    }
    return {
      access_token: parsed.access_token,
      generation: parsed.generation,
      ...(typeof parsed.refresh_token === 'string' ? { refresh_token: parsed.refresh_token } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function writeStoredTokens(
  secrets: SecretStore,
  projectId: string,
  tokens: StoredTokens,
): Promise<void> {
  await secrets.set(tokensAccount(projectId), JSON.stringify(tokens));
}

/** Grant fields derived from a token response. */
export function tokenTimes(
  expiresIn: number | undefined,
  now = Date.now(),
): Pick<GrantRecord, 'issuedAt' | 'accessExpiresAt'> {
  return {
    issuedAt: new Date(now).toISOString(),
    accessExpiresAt:
      typeof expiresIn === 'number' && expiresIn > 0
        ? new Date(now + expiresIn * 1000).toISOString()
        : null,
  };
}
