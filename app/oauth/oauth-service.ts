import crypto from 'node:crypto';
import type { ConsentService } from '../consent/consent-service.js';
import type {
  OAuthConsentPreviewDto,
  OAuthDetectionDto,
  OAuthGrantViewDto,
  SignInProgressDto,
} from '../contract/oauth-contract.js';
import { EndpointUrlSchema, type Project } from '../projects/project.js';
import type { ProjectsService } from '../projects/projects-service.js';
import { SwitchboardError } from '../shared/errors.js';
import type { SecretStore } from '../vault/secret-store.js';
import { resolveClientMetadataUrl } from '../settings/client-metadata-url.js';
import { readAuthStatus, writeAuthStatus } from './auth-status.js';
import { discover, probeChallenge } from './discovery.js';
import {
  oauthStore,
  preRegisteredSecretAccount,
  readStoredTokens,
  registrationSecretAccount,
  tokensAccount,
} from './grant-store.js';
import { revokeGrant, type RevokedKind } from './revocation.js';
import { SignInService, type SignInOptions, type SignInPlan } from './sign-in.js';

export interface OAuthServiceDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  projects: ProjectsService;
  consents: ConsentService;
  secrets: () => Promise<SecretStore>;
  /** Client ids (claude-desktop…) with the project installed: they share the grant. */
  installedClients: (projectId: string) => Promise<string[]>;
  fetch?: typeof fetch;
}

/**
 * OAuth for the app and the CLI (bridges only use app/oauth/oauth-session.ts): detection,
 * consent preview, sign-in, the grant view, sign out, pre-registered clients.
 */
export class OAuthService {
  readonly signIns: SignInService;
  private readonly running = new Map<string, AbortController>();
  private readonly progressListeners = new Set<(p: SignInProgressDto) => void>();

  constructor(private readonly deps: OAuthServiceDeps) {
    this.signIns = new SignInService({
      dataDir: deps.dataDir,
      secrets: deps.secrets,
      consents: deps.consents,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      // Read at each sign-in: the setting can change while the app runs; the env var wins.
      clientMetadataUrl: async () => (await resolveClientMetadataUrl(deps.dataDir, deps.env)).url,
    });
  }

  async detect(url: string): Promise<OAuthDetectionDto> {
    const valid = EndpointUrlSchema.safeParse(url);
    if (!valid.success) {
      throw new SwitchboardError('VALIDATION', valid.error.issues[0]?.message ?? 'Not a URL.');
    }
    const challenge = await probeChallenge(url, this.deps.fetch).catch(() => undefined);
    try {
      const d = await discover(url, {
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
        ...(challenge ? { challenge } : {}),
      });
      // An AS at the origin alone (the 2025-03-26 fallback) does not make this server OAuth.
      if (!d.resourceMetadata) {
        return { oauth: false, reason: 'no OAuth protected-resource metadata' };
      }
      return {
        oauth: true,
        issuer: d.issuer,
        resource: d.resource,
        ...(d.resourceMetadata?.scopes_supported
          ? { scopesSupported: d.resourceMetadata.scopes_supported }
          : {}),
        reason: challenge?.resourceMetadataUrl
          ? `401 with resource_metadata`
          : 'protected-resource metadata at the well-known path',
      };
    } catch (error) {
      return {
        oauth: false,
        reason:
          challenge?.status === 401
            ? `401 without usable OAuth metadata (${(error as Error).message})`
            : 'no OAuth protected-resource metadata',
      };
    }
  }

  async preview(projectRef: string, scopes?: string[]): Promise<OAuthConsentPreviewDto> {
    const project = await this.oauthProject(projectRef);
    return this.previewOf(await this.signIns.plan(project, scopes));
  }

  async previewOf(plan: SignInPlan): Promise<OAuthConsentPreviewDto> {
    const check = await this.deps.consents.check(plan.subject);
    const full = this.signIns.fullScope(plan);
    return {
      project: plan.project.name,
      projectId: plan.project.id,
      serverUrl: plan.project.url,
      resource: plan.discovered.resource,
      issuer: plan.discovered.issuer,
      client: {
        kind: plan.client.kind,
        ...(plan.client.clientId ? { clientId: plan.client.clientId } : {}),
      },
      scopes: plan.scopes,
      scopesSupported: plan.discovered.resourceMetadata?.scopes_supported ?? [],
      fullScope: full.full,
      ...(full.reason ? { fullScopeReason: full.reason } : {}),
      sharedWith: await this.deps.installedClients(plan.project.id).catch(() => []),
      storage: (await this.deps.secrets()).kind,
      consent: check.status,
      changed: check.status === 'needed' ? check.changed : [],
    };
  }

  /** A whole sign-in (CLI: awaited; window: see `start`). */
  async signIn(projectRef: string, opts: SignInOptions) {
    return this.signIns.signIn(await this.oauthProject(projectRef), opts);
  }

  /**
   * The window's sign-in: consent was just given in the dialog, so `confirm` is a yes; the
   * browser opens through `open` (shell.openExternal); progress goes to `onProgress` listeners.
   */
  async start(
    projectRef: string,
    opts: { scopes?: string[]; open: (url: URL) => Promise<void> },
  ): Promise<{ signInId: string }> {
    const project = await this.oauthProject(projectRef);
    const signInId = `sgn_${crypto.randomBytes(8).toString('hex')}`;
    const abort = new AbortController();
    this.running.set(signInId, abort);
    const emit = (stage: SignInProgressDto['stage'], message?: string) => {
      for (const l of this.progressListeners) {
        l({ signInId, project: project.name, stage, ...(message ? { message } : {}) });
      }
    };
    void this.signIns
      .signIn(project, {
        ...(opts.scopes ? { scopes: opts.scopes } : {}),
        source: 'window',
        confirm: async () => true,
        open: opts.open,
        onStage: (stage) => emit(stage),
        signal: abort.signal,
      })
      .catch((error: unknown) => {
        const cancelled =
          error instanceof SwitchboardError && error.code === 'REFUSED' && abort.signal.aborted;
        emit(cancelled ? 'cancelled' : 'failed', (error as Error).message);
      })
      .finally(() => this.running.delete(signInId));
    return { signInId };
  }

  cancel(signInId: string): boolean {
    const abort = this.running.get(signInId);
    abort?.abort();
    return Boolean(abort);
  }

  onProgress(listener: (p: SignInProgressDto) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  async grant(projectRef: string): Promise<OAuthGrantViewDto | null> {
    const project = await this.deps.projects.get(projectRef);
    const grant = (await oauthStore(this.deps.dataDir).read()).grants[project.id];
    if (!grant) return null;
    const status = await readAuthStatus(this.deps.dataDir, project.id);
    return {
      project: project.name,
      issuer: grant.issuer,
      clientId: grant.clientId,
      scopes: grant.scopes,
      accessExpiresAt: grant.accessExpiresAt,
      refreshPresent: grant.refreshPresent,
      ...(grant.lastRefreshAt ? { lastRefreshAt: grant.lastRefreshAt } : {}),
      ...(grant.lastUsedAt ? { lastUsedAt: grant.lastUsedAt } : {}),
      grantedAt: grant.grantedAt,
      // A pending import (not verified yet) is no sign-in: bridges do not use it.
      status:
        grant.needsSignIn || grant.pending ? 'sign-in-needed' : (status?.status ?? 'signed-in'),
      ...(status?.status === 'permission-needed' && status.scopes
        ? { neededScopes: status.scopes }
        : {}),
    };
  }

  /**
   * Sign out: RFC 7009 revocation (refresh token first, then access token) where the AS offers
   * it, then the keychain entry and the grant record go, and the consent is forgotten (unless
   * this runs because the consent itself is being withdrawn).
   */
  async signOut(
    projectRef: string,
    opts: { keepConsent?: boolean } = {},
  ): Promise<{ revoked: RevokedKind[]; revocationError?: string }> {
    const project = await this.deps.projects.get(projectRef);
    const store = oauthStore(this.deps.dataDir);
    const secrets = await this.deps.secrets();
    const grant = (await store.read()).grants[project.id];
    const tokens = await readStoredTokens(secrets, project.id);
    let revoked: RevokedKind[] = [];
    let revocationError: string | undefined;
    if (grant && tokens) {
      const clientSecret =
        grant.clientKind === 'pre-registered'
          ? await secrets.get(preRegisteredSecretAccount(project.id))
          : grant.clientKind === 'dynamic'
            ? await secrets.get(registrationSecretAccount(project.id, grant.issuer))
            : undefined;
      const result = await revokeGrant({
        metadata: grant.metadata,
        clientId: grant.clientId,
        ...(clientSecret ? { clientSecret } : {}),
        tokens,
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      });
      revoked = result.revoked;
      revocationError = result.error;
    }
    await secrets.delete(tokensAccount(project.id));
    await store.update((file) => {
      const grants = { ...file.grants };
      delete grants[project.id];
      return { next: { ...file, grants }, result: undefined };
    });
    await writeAuthStatus(this.deps.dataDir, project.id, {
      status: 'sign-in-needed',
      message: `Signed out of ${project.name}.`,
    });
    if (!opts.keepConsent) await this.deps.consents.forgetProject(project.id, 'oauth-grant');
    return { revoked, ...(revocationError ? { revocationError } : {}) };
  }

  /** Project removal: sign out, then forget every OAuth record and secret of the project. */
  async purge(project: Project): Promise<void> {
    if (project.auth === 'oauth') await this.signOut(project.id);
    const secrets = await this.deps.secrets();
    const store = oauthStore(this.deps.dataDir);
    const file = await store.read();
    for (const issuer of Object.keys(file.registrations[project.id] ?? {})) {
      await secrets.delete(registrationSecretAccount(project.id, issuer));
    }
    await secrets.delete(preRegisteredSecretAccount(project.id));
    await store.update((f) => {
      const registrations = { ...f.registrations };
      const preRegistered = { ...f.preRegistered };
      delete registrations[project.id];
      delete preRegistered[project.id];
      return { next: { ...f, registrations, preRegistered }, result: undefined };
    });
    await writeAuthStatus(this.deps.dataDir, project.id, undefined);
  }

  /** The pre-registered client (`--oauth-client-id`); its secret goes to the keychain only. */
  async setPreRegisteredClient(
    projectId: string,
    clientId: string,
    secret?: string,
  ): Promise<void> {
    const secrets = await this.deps.secrets();
    if (secret) await secrets.set(preRegisteredSecretAccount(projectId), secret);
    else await secrets.delete(preRegisteredSecretAccount(projectId));
    await oauthStore(this.deps.dataDir).update((f) => ({
      next: {
        ...f,
        preRegistered: {
          ...f.preRegistered,
          [projectId]: { clientId, hasSecret: Boolean(secret) },
        },
      },
      result: undefined,
    }));
  }

  private async oauthProject(ref: string): Promise<Project> {
    const project = await this.deps.projects.get(ref);
    if (project.auth !== 'oauth') {
      throw new SwitchboardError(
        'VALIDATION',
        `Project ${project.name} does not use OAuth (auth: ${project.auth}); switch it with switchboard project edit ${project.name} --auth oauth.`,
      );
    }
    return project;
  }
}
