import crypto from 'node:crypto';
import {
  IssuerMismatchError,
  exchangeAuthorization,
  startAuthorization,
  validateAuthorizationResponseIssuer,
} from '@modelcontextprotocol/client';
import type { ConsentSubject } from '../consent/consent.js';
import type { ConsentService } from '../consent/consent-service.js';
import type { Project } from '../projects/project.js';
import { SwitchboardError } from '../shared/errors.js';
import type { SecretStore } from '../vault/secret-store.js';
import { readAuthStatus, writeAuthStatus } from './auth-status.js';
import { validateAuthorizationUrl } from './browser-opener.js';
import { discover, type Discovered } from './discovery.js';
import {
  oauthStore,
  readStoredTokens,
  tokenTimes,
  writeStoredTokens,
  type GrantRecord,
} from './grant-store.js';
import { startLoopbackListener } from './loopback-listener.js';
import { chooseClient, resolveClientInformation, type ClientIdentity } from './registration.js';
import { chooseScopes, fullScope, split, type ScopeChoice } from './scopes.js';
import { timeoutFetch } from './timeout-fetch.js';

/** Storm brake: this many unfinished sign-ins of one project within the window stop the next. */
export const SIGN_IN_STORM_LIMIT = 5;
export const STORM_WINDOW_MS = 30_000;
/**
 * Step-up: at most this many re-authorizations for the same missing scopes, so with the first
 * sign-in at most 3 authorization attempts per resource and operation (spec: "a few").
 */
export const STEP_UP_LIMIT = 2;

export interface SignInPlan {
  project: Project;
  discovered: Discovered;
  scopes: ScopeChoice[];
  client: ClientIdentity;
  subject: ConsentSubject;
  /** permission-needed: the scopes the server asked for, when this is a step-up. */
  stepUp?: string[];
}

export type SignInStage = 'discovering' | 'waiting-for-browser' | 'exchanging' | 'done';

export interface SignInDeps {
  dataDir: string;
  secrets: () => Promise<SecretStore>;
  consents: ConsentService;
  fetch?: typeof fetch;
  /** The Client ID Metadata Document URL Switchboard may use as its client_id (read per sign-in). */
  clientMetadataUrl?: () => Promise<string | undefined>;
}

export interface SignInOptions {
  /** The user's --scope; otherwise the spec's selection (and the step-up union). */
  scopes?: string[];
  source: 'window' | 'cli';
  /**
   * Shown the plan before anything is registered or opened; resolves true when the user
   * agreed. Called only when the ledger has no consent for exactly this request.
   */
  confirm: (plan: SignInPlan) => Promise<boolean>;
  /** Opens the (already validated) authorization URL: shell.openExternal, BROWSER, or print. */
  open: (url: URL) => Promise<void>;
  onStage?: (stage: SignInStage) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Every sign-in step except the UI: plan (discovery, scopes, client), consent, browser, tokens. */
export class SignInService {
  /** In-process record of sign-ins started and not finished, for the storm brake. */
  private readonly unfinished = new Map<string, number[]>();

  private readonly deps: SignInDeps;

  constructor(deps: SignInDeps) {
    this.deps = { ...deps, fetch: timeoutFetch(deps.fetch) };
  }

  async plan(project: Project, scopes?: string[]): Promise<SignInPlan> {
    const discovered = await discover(project.url, this.fetchOpt());
    const clientMetadataUrl = await this.deps.clientMetadataUrl?.();
    const client = await chooseClient({
      dataDir: this.deps.dataDir,
      projectId: project.id,
      projectName: project.name,
      metadata: discovered.metadata,
      ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
    });
    const grant = (await oauthStore(this.deps.dataDir).read()).grants[project.id];
    const status = await readAuthStatus(this.deps.dataDir, project.id);
    const stepUp = status?.status === 'permission-needed' ? status.scopes : undefined;
    // Scopes already granted carry over only from the same AS (a new issuer starts over).
    const granted = grant && grant.issuer === discovered.issuer ? grant.scopes : undefined;
    const chosen = chooseScopes(discovered, {
      ...(scopes?.length ? { user: scopes } : {}),
      ...(stepUp && granted ? { granted } : {}),
      ...(stepUp ? { needed: stepUp } : {}),
    });
    const subject = oauthGrantSubject(
      project,
      discovered,
      client.clientId ?? 'dynamic',
      chosen.map((c) => c.scope),
    );
    return { project, discovered, scopes: chosen, client, subject, ...(stepUp ? { stepUp } : {}) };
  }

  fullScope(plan: SignInPlan): { full: boolean; reason?: string } {
    return fullScope(
      plan.scopes.map((c) => c.scope),
      plan.discovered.resourceMetadata?.scopes_supported ?? [],
    );
  }

  /** Runs one whole sign-in and resolves with the new grant record. */
  async signIn(project: Project, opts: SignInOptions): Promise<GrantRecord> {
    this.brake(project);
    const started = Date.now();
    this.unfinished.set(project.id, [...(this.unfinished.get(project.id) ?? []), started]);
    opts.onStage?.('discovering');
    const plan = await this.plan(project, opts.scopes);
    if (plan.stepUp) await this.checkStepUpLimit(project, plan.stepUp);
    const check = await this.deps.consents.check(plan.subject);
    if (check.status !== 'granted') {
      // Declining (or not being able to ask) is not a runaway sign-in: no storm-brake count.
      const forget = () =>
        this.unfinished.set(
          project.id,
          (this.unfinished.get(project.id) ?? []).filter((t) => t !== started),
        );
      const agreed = await opts.confirm(plan).catch((error: unknown) => {
        forget();
        throw error;
      });
      if (!agreed) {
        forget();
        throw new SwitchboardError('REFUSED', 'Sign-in cancelled; nothing was changed.');
      }
      await this.deps.consents.record(plan.subject, opts.source);
    }
    // Counted once the browser is about to open: a declined consent is not an attempt.
    if (plan.stepUp) await this.countStepUp(project, plan.stepUp);

    const state = crypto.randomBytes(24).toString('base64url');
    const listener = await startLoopbackListener({
      state,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    try {
      const secrets = await this.deps.secrets();
      const { discovered } = plan;
      const scope = plan.scopes.map((c) => c.scope).join(' ') || undefined;
      const clientInformation = await resolveClientInformation({
        dataDir: this.deps.dataDir,
        projectId: project.id,
        identity: plan.client,
        issuer: discovered.issuer,
        authorizationServerUrl: discovered.authorizationServerUrl,
        metadata: discovered.metadata,
        redirectUri: listener.redirectUri,
        ...(scope ? { scope } : {}),
        secrets,
        ...this.fetchOpt(),
      });
      const { authorizationUrl, codeVerifier } = await startAuthorization(
        discovered.authorizationServerUrl,
        {
          metadata: discovered.metadata,
          clientInformation,
          redirectUrl: listener.redirectUri,
          state,
          resource: discovered.resource,
          ...(scope ? { scope } : {}),
        },
      );
      const url = validateAuthorizationUrl(authorizationUrl);
      opts.onStage?.('waiting-for-browser');
      await opts.open(url);
      const query = await listener.callback;
      const iss = query.get('iss') ?? undefined;
      // RFC 9207 before anything else from the callback is believed (or shown).
      validateAuthorizationResponseIssuer({
        iss,
        expectedIssuer: discovered.metadata.issuer,
        issParameterSupported:
          discovered.metadata.authorization_response_iss_parameter_supported === true,
      });
      const error = query.get('error');
      if (error) {
        const code = /^[a-z_]{1,64}$/.test(error) ? error : 'error';
        throw new SwitchboardError(
          'AUTH',
          `The authorization server did not grant access (${code}); sign in again, or check the scopes you asked for.`,
        );
      }
      const code = query.get('code');
      if (!code) throw new SwitchboardError('AUTH', 'The sign-in returned no code; try again.');
      opts.onStage?.('exchanging');
      const tokens = await exchangeAuthorization(discovered.authorizationServerUrl, {
        metadata: discovered.metadata,
        clientInformation,
        authorizationCode: code,
        ...(iss !== undefined ? { iss } : {}),
        codeVerifier,
        redirectUri: listener.redirectUri,
        resource: discovered.resource,
        ...(this.deps.fetch ? { fetchFn: this.deps.fetch } : {}),
      });
      const grant = await this.saveGrant(
        project,
        plan,
        clientInformation.client_id,
        tokens,
        secrets,
      );
      this.unfinished.delete(project.id);
      opts.onStage?.('done');
      return grant;
    } catch (error) {
      throw signInError(error);
    } finally {
      listener.close();
    }
  }

  private async saveGrant(
    project: Project,
    plan: SignInPlan,
    clientId: string,
    tokens: { access_token: string; refresh_token?: string; expires_in?: number; scope?: string },
    secrets: SecretStore,
  ): Promise<GrantRecord> {
    const store = oauthStore(this.deps.dataDir);
    const previous = (await store.read()).grants[project.id];
    const old = await readStoredTokens(secrets, project.id);
    const generation = Math.max(previous?.generation ?? 0, old?.generation ?? 0) + 1;
    // Keychain first, then the record: a reader that sees the new generation finds its tokens.
    await writeStoredTokens(secrets, project.id, {
      access_token: tokens.access_token,
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      generation,
    });
    const now = new Date().toISOString();
    const grant: GrantRecord = {
      issuer: plan.discovered.issuer,
      authorizationServerUrl: plan.discovered.authorizationServerUrl,
      metadata: plan.discovered.metadata,
      resource: plan.discovered.resource,
      clientId,
      clientKind: plan.client.kind,
      scopes: tokens.scope ? split(tokens.scope) : plan.scopes.map((c) => c.scope),
      grantedAt: now,
      ...tokenTimes(tokens.expires_in),
      refreshPresent: Boolean(tokens.refresh_token),
      generation,
      ...(plan.stepUp && previous?.stepUps ? { stepUps: previous.stepUps } : {}),
    };
    await store.update((file) => ({
      next: { ...file, grants: { ...file.grants, [project.id]: grant } },
      result: undefined,
    }));
    await writeAuthStatus(this.deps.dataDir, project.id, { status: 'signed-in' });
    return grant;
  }

  private brake(project: Project): void {
    const recent = (this.unfinished.get(project.id) ?? []).filter(
      (t) => Date.now() - t < STORM_WINDOW_MS,
    );
    this.unfinished.set(project.id, recent);
    if (recent.length >= SIGN_IN_STORM_LIMIT) {
      throw new SwitchboardError(
        'REFUSED',
        `${recent.length} sign-ins to ${project.name} in the last 30 s did not finish; Switchboard stopped opening the browser. Wait a moment, then use Sign in again once.`,
      );
    }
  }

  private async checkStepUpLimit(project: Project, needed: string[]): Promise<void> {
    const key = [...needed].sort().join(' ');
    const grant = (await oauthStore(this.deps.dataDir).read()).grants[project.id];
    const count = grant?.stepUps?.[key] ?? 0;
    if (count >= STEP_UP_LIMIT) {
      throw new SwitchboardError(
        'AUTH',
        `${project.name} still lacks ${key} after ${count + 1} sign-in attempts; the server or your account may not allow it. Ask the server's administrator, or sign out and in again to start over.`,
      );
    }
  }

  private async countStepUp(project: Project, needed: string[]): Promise<void> {
    const key = [...needed].sort().join(' ');
    await oauthStore(this.deps.dataDir).update((file) => {
      const g = file.grants[project.id];
      if (!g) return { next: file, result: undefined };
      const stepUps = { ...(g.stepUps ?? {}), [key]: (g.stepUps?.[key] ?? 0) + 1 };
      return {
        next: { ...file, grants: { ...file.grants, [project.id]: { ...g, stepUps } } },
        result: undefined,
      };
    });
  }

  private fetchOpt(): { fetch?: typeof fetch } {
    return this.deps.fetch ? { fetch: this.deps.fetch } : {};
  }
}

/** Sign-in failures as errors that say what to do; an iss mismatch never echoes the server. */
function signInError(error: unknown): Error {
  if (error instanceof SwitchboardError) return error;
  if (IssuerMismatchError.isInstance(error)) {
    return new SwitchboardError(
      'AUTH',
      'The sign-in answer did not come from the expected authorization server (RFC 9207 iss check); it was discarded. Try again; if it repeats, the server may be misconfigured or under attack.',
    );
  }
  return new SwitchboardError(
    'AUTH',
    `Sign-in failed: ${(error as Error).message}. Try again with switchboard login.`,
  );
}

/** What an `oauth-grant` consent is bound to: a sign-in's and an import's are the same. */
export function oauthGrantSubject(
  project: Project,
  discovered: Pick<Discovered, 'resource' | 'issuer'>,
  clientId: string,
  scopes: string[],
): ConsentSubject {
  return {
    kind: 'oauth-grant',
    projectId: project.id,
    projectName: project.name,
    serverUrl: project.url,
    resource: discovered.resource,
    issuer: discovered.issuer,
    clientId,
    scopes,
  };
}
