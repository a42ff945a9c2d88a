import type { Project } from '../projects/project.js';
import { fingerprint } from '../tokens/fingerprint.js';
import type { CredentialRejection } from '../tokens/credentials.js';
import type { SecretStore } from '../vault/secret-store.js';
import { writeAuthStatus } from './auth-status.js';
import { parseChallenge } from './challenge.js';
import {
  oauthStore,
  preRegisteredSecretAccount,
  readStoredTokens,
  registrationSecretAccount,
  tokenTimes,
  writeStoredTokens,
  type GrantRecord,
  type StoredTokens,
} from './grant-store.js';
import { tryAcquireRefreshLease } from './refresh-lease.js';
import { timeoutFetch } from './timeout-fetch.js';

/** Storm brake: this many rejected tokens within the window stop refreshing until a sign-in. */
export const TOKEN_STORM_LIMIT = 20;
const STORM_WINDOW_MS = 30_000;
/** How long a process waits for another one's refresh before giving up on this request. */
const FOLLOW_WAIT_MS = 20_000;
const FOLLOW_POLL_MS = 100;
/** Treat a token as expired this much early (clock skew, request latency). */
const EXPIRY_SKEW_MS = 5_000;
const LAST_USED_THROTTLE_MS = 60_000;

export type OAuthBearer =
  | { ok: true; token: string; fingerprint: string }
  | { ok: false; reason: 'login-required' | 'expired'; message: string };

/**
 * When the current access token should be refreshed: once ¾ of its lifetime has passed (for
 * tokens living longer than 4 minutes, 60 s before expiry at the latest), and never before half
 * of it. Undefined for a token without an expiry.
 */
export function refreshDueAt(
  grant: Pick<GrantRecord, 'issuedAt' | 'accessExpiresAt'>,
): number | undefined {
  if (!grant.accessExpiresAt) return undefined;
  const issued = Date.parse(grant.issuedAt);
  const expires = Date.parse(grant.accessExpiresAt);
  const lifetime = expires - issued;
  let due = issued + 0.75 * lifetime;
  if (lifetime > 240_000) due = Math.min(due, expires - 60_000);
  return Math.max(due, issued + lifetime / 2);
}

interface Loaded {
  grant: GrantRecord;
  tokens: StoredTokens;
}

/**
 * A bridge's OAuth tokens for one project: read from oauth.json + the keychain (the keychain
 * again whenever the grant's generation changes, so a new sign-in reaches a running bridge at
 * its next request), refreshed
 * proactively and on a 401, single-flight in this process and — through the refresh lease —
 * across every process sharing the project, so a rotating refresh token is sent exactly once.
 * It never opens a browser or a listener: when a sign-in is needed it says so and records it.
 */
export class OAuthSession {
  private cache: Loaded | undefined;
  private inflight: Promise<void> | undefined;
  private rejections: number[] = [];
  private lastMarked = 0;
  private readonly store;

  constructor(
    private readonly opts: {
      dataDir: string;
      project: Pick<Project, 'id' | 'name'>;
      secrets: () => Promise<SecretStore>;
      fetch?: typeof fetch;
      /** Only the importer's own check call uses a grant whose import is not verified yet. */
      usePendingImport?: boolean;
    },
  ) {
    // oauth.json is read on every request (a small file): a new sign-in or another process's
    // refresh shows as a new generation at once, and only then is the keychain read again.
    this.store = oauthStore(opts.dataDir);
  }

  async current(): Promise<OAuthBearer> {
    let loaded = await this.load();
    if (!loaded) return this.signInNeeded('not signed in');
    if (loaded.grant.needsSignIn) return this.signInNeeded('the sign-in ended');
    if (this.unverifiedImport(loaded.grant)) {
      return this.signInNeeded('the import of mcp-remote’s grant was not verified');
    }
    const now = Date.now();
    const due = refreshDueAt(loaded.grant);
    const expires = loaded.grant.accessExpiresAt
      ? Date.parse(loaded.grant.accessExpiresAt)
      : Infinity;
    // A little early (clock skew, latency), but never more than a tenth of a short lifetime.
    const lifetime = expires - Date.parse(loaded.grant.issuedAt);
    const expired = now >= expires - Math.min(EXPIRY_SKEW_MS, lifetime / 10);
    if ((expired || (due !== undefined && now >= due)) && loaded.grant.refreshPresent) {
      try {
        await this.refresh(loaded.grant.generation);
      } catch (error) {
        // A failed proactive refresh is fine while the token is still valid; it is retried.
        if (expired) {
          const after = await this.load();
          if (!after || after.grant.needsSignIn) return this.signInNeeded('the sign-in ended');
          return {
            ok: false,
            reason: 'expired',
            message: `the access token expired and refreshing it failed (${(error as Error).message}); the next request tries again`,
          };
        }
      }
      loaded = (await this.load()) ?? loaded;
      if (loaded.grant.needsSignIn) return this.signInNeeded('the sign-in ended');
    } else if (expired) {
      await this.markNeedsSignIn(loaded.grant.generation);
      return this.signInNeeded('the token expired and there is no refresh token');
    }
    return {
      ok: true,
      token: loaded.tokens.access_token,
      fingerprint: fingerprint(loaded.tokens.access_token),
    };
  }

  /**
   * The server rejected the token sent with `r.fingerprint`. A 401 refreshes once (unless another
   * process already did) and resolves true when a new token is there; a 403 insufficient_scope
   * records "Permission needed: <scope>" and rejects with the fix (a refresh cannot widen scope).
   */
  async rejected(r: CredentialRejection): Promise<boolean> {
    const challenge = parseChallenge(r.status, r.wwwAuthenticate);
    if (r.status === 403) {
      if (challenge.error !== 'insufficient_scope') return false;
      const scopes = (challenge.scope ?? '').split(/\s+/).filter(Boolean);
      await writeAuthStatus(this.opts.dataDir, this.opts.project.id, {
        status: 'permission-needed',
        scopes,
        message: `The server asks for more permission${scopes.length ? `: ${scopes.join(' ')}` : ''}.`,
      }).catch(() => undefined);
      throw new Error(
        `permission needed${scopes.length ? `: ${scopes.join(' ')}` : ''} — sign in to ${this.opts.project.name} again in Switchboard to grant it (switchboard login ${this.opts.project.name})`,
      );
    }
    const now = Date.now();
    this.rejections = [...this.rejections.filter((t) => now - t < STORM_WINDOW_MS), now];
    const loaded = await this.load();
    if (!loaded || this.unverifiedImport(loaded.grant)) return false;
    if (r.fingerprint && fingerprint(loaded.tokens.access_token) !== r.fingerprint) return true;
    if (this.rejections.length >= TOKEN_STORM_LIMIT || !loaded.grant.refreshPresent) {
      await this.markNeedsSignIn(loaded.grant.generation);
      return false;
    }
    try {
      await this.refresh(loaded.grant.generation);
    } catch {
      return false;
    }
    const after = await this.load();
    return Boolean(
      after && !after.grant.needsSignIn && after.grant.generation !== loaded.grant.generation,
    );
  }

  private unverifiedImport(grant: GrantRecord): boolean {
    return Boolean(grant.pending) && !this.opts.usePendingImport;
  }

  markUsed(): void {
    const now = Date.now();
    if (now - this.lastMarked < LAST_USED_THROTTLE_MS) return;
    this.lastMarked = now;
    void this.updateGrant(undefined, (g) => ({
      ...g,
      lastUsedAt: new Date(now).toISOString(),
    })).catch(() => undefined);
  }

  close(): void {
    this.cache = undefined;
  }

  private async load(fresh = false): Promise<Loaded | undefined> {
    const grant = (await this.store.read()).grants[this.opts.project.id];
    if (!grant) {
      this.cache = undefined;
      return undefined;
    }
    if (!fresh && this.cache && this.cache.grant.generation === grant.generation) {
      this.cache = { ...this.cache, grant };
      return this.cache;
    }
    const tokens = await readStoredTokens(await this.opts.secrets(), this.opts.project.id);
    // The keychain is written before the record, so its generation is never behind.
    if (!tokens || tokens.generation < grant.generation) return undefined;
    this.cache = { grant, tokens };
    return this.cache;
  }

  /** Single-flight in this process; the lease makes it single-flight across processes. */
  private refresh(seenGeneration: number): Promise<void> {
    this.inflight ??= this.refreshOnce(seenGeneration).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async refreshOnce(seenGeneration: number): Promise<void> {
    const deadline = Date.now() + FOLLOW_WAIT_MS;
    for (;;) {
      const lease = await tryAcquireRefreshLease(this.opts.dataDir, this.opts.project.id);
      if (lease) {
        try {
          // Under the lease, from the keychain itself: if anyone refreshed meanwhile, use theirs
          // (their refresh token replaced ours; sending ours again would be a reuse).
          const loaded = await this.load(true);
          if (
            !loaded ||
            loaded.grant.generation !== seenGeneration ||
            loaded.grant.needsSignIn ||
            this.unverifiedImport(loaded.grant)
          )
            return;
          await this.exchangeRefreshToken(loaded);
        } finally {
          await lease.release();
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      const grant = (await this.store.read()).grants[this.opts.project.id];
      if (!grant || grant.generation !== seenGeneration) return;
      if (Date.now() > deadline) {
        throw new Error('another Switchboard process is refreshing the token and has not finished');
      }
    }
  }

  private async exchangeRefreshToken({ grant, tokens }: Loaded): Promise<void> {
    const refreshToken = tokens.refresh_token;
    if (!refreshToken) {
      await this.markNeedsSignIn(grant.generation);
      return;
    }
    const secrets = await this.opts.secrets();
    const { refreshAuthorization, OAuthError } = await import('./token-endpoint.js');
    const clientSecret = await this.clientSecret(grant, secrets);
    let fresh;
    try {
      fresh = await refreshAuthorization(grant.authorizationServerUrl, {
        metadata: grant.metadata,
        clientInformation: {
          client_id: grant.clientId,
          ...(clientSecret ? { client_secret: clientSecret } : {}),
        },
        refreshToken,
        resource: grant.resource,
        fetchFn: timeoutFetch(this.opts.fetch),
      });
    } catch (error) {
      // The AS said no for good (invalid_grant: expired, revoked, reused): a sign-in is needed.
      // Anything else (network, 5xx) is retried on a later request.
      if (
        error instanceof OAuthError &&
        /invalid_grant|invalid_client|unauthorized_client/.test(error.code)
      ) {
        await this.markNeedsSignIn(grant.generation);
      }
      throw error;
    }
    const generation = grant.generation + 1;
    const next: StoredTokens = {
      access_token: fresh.access_token,
      ...(fresh.refresh_token ? { refresh_token: fresh.refresh_token } : {}),
      generation,
    };
    await writeStoredTokens(secrets, this.opts.project.id, next);
    const now = Date.now();
    await this.updateGrant(grant.generation, (g) => ({
      ...g,
      ...tokenTimes(fresh.expires_in, now),
      ...(fresh.scope ? { scopes: fresh.scope.split(/\s+/).filter(Boolean) } : {}),
      refreshPresent: Boolean(next.refresh_token),
      lastRefreshAt: new Date(now).toISOString(),
      generation,
    }));
    this.cache = undefined;
    await writeAuthStatus(this.opts.dataDir, this.opts.project.id, { status: 'signed-in' }).catch(
      () => undefined,
    );
  }

  private async clientSecret(
    grant: GrantRecord,
    secrets: SecretStore,
  ): Promise<string | undefined> {
    if (grant.clientKind === 'pre-registered') {
      return secrets.get(preRegisteredSecretAccount(this.opts.project.id));
    }
    if (grant.clientKind !== 'dynamic') return undefined;
    const reg = (await this.store.read()).registrations[this.opts.project.id]?.[grant.issuer];
    return reg?.hasSecret
      ? secrets.get(registrationSecretAccount(this.opts.project.id, grant.issuer))
      : undefined;
  }

  /** Records that this grant cannot be used or refreshed any more (for every process). */
  private async markNeedsSignIn(generation: number): Promise<void> {
    await this.updateGrant(generation, (g) => ({ ...g, needsSignIn: true }));
    await writeAuthStatus(this.opts.dataDir, this.opts.project.id, {
      status: 'sign-in-needed',
      message: `Sign in to ${this.opts.project.name} again.`,
    }).catch(() => undefined);
  }

  /** Changes the grant only if it is still the generation we saw (a newer sign-in wins). */
  private async updateGrant(
    generation: number | undefined,
    change: (g: GrantRecord) => GrantRecord,
  ): Promise<void> {
    await this.store.update((file) => {
      const g = file.grants[this.opts.project.id];
      if (!g || (generation !== undefined && g.generation !== generation)) {
        return { next: file, result: undefined };
      }
      return {
        next: { ...file, grants: { ...file.grants, [this.opts.project.id]: change(g) } },
        result: undefined,
      };
    });
  }

  private async signInNeeded(why: string): Promise<OAuthBearer> {
    // Deduplicated by writeAuthStatus: the same status again changes nothing.
    await writeAuthStatus(this.opts.dataDir, this.opts.project.id, {
      status: 'sign-in-needed',
      message: `Sign in to ${this.opts.project.name} again.`,
    }).catch(() => undefined);
    return {
      ok: false,
      reason: 'login-required',
      message: `sign-in needed (${why}) — sign in to ${this.opts.project.name} in Switchboard (switchboard login ${this.opts.project.name})`,
    };
  }
}
