import fs from 'node:fs/promises';
import type { ConsentSubject } from '../consent/consent.js';
import type { ConsentService } from '../consent/consent-service.js';
import type { OAuthConsentPreviewDto } from '../contract/oauth-contract.js';
import { readAuthStatus, writeAuthStatus } from '../oauth/auth-status.js';
import { discover } from '../oauth/discovery.js';
import {
  oauthStore,
  readStoredTokens,
  registrationSecretAccount,
  tokensAccount,
  writeStoredTokens,
  type ClientRegistration,
  type GrantRecord,
} from '../oauth/grant-store.js';
import type { OAuthService } from '../oauth/oauth-service.js';
import { split } from '../oauth/scopes.js';
import type { SignInPlan } from '../oauth/sign-in.js';
import { timeoutFetch } from '../oauth/timeout-fetch.js';
import { SwitchboardError } from '../shared/errors.js';
import { testProject } from '../tester/test-project.js';
import type { SecretStore } from '../vault/secret-store.js';
import type { Doctor, McpRemoteGrantFinding } from './doctor.js';
import { readMcpRemoteGrant, type McpRemoteGrant } from './mcp-remote-auth.js';

export interface McpRemoteImportDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  doctor: Doctor;
  consents: ConsentService;
  oauth: OAuthService;
  secrets: () => Promise<SecretStore>;
  fetch?: typeof fetch;
}

export interface McpRemoteImportPreview {
  project: string;
  /** The same consent facts a sign-in shows (issuer, resource, client, scopes, storage). */
  consent: OAuthConsentPreviewDto;
  state: 'valid' | 'refreshable';
  /** mcp-remote's plaintext files of this grant (deleted later only on request). */
  files: string[];
}

export interface McpRemoteImportResult {
  project: string;
  /** The access token had expired: the verification refreshed it. */
  refreshed: boolean;
  /** Tools the verifying call listed. */
  tools: number;
  files: string[];
}

interface Prepared {
  target: McpRemoteGrantFinding;
  grant: McpRemoteGrant & { client: NonNullable<McpRemoteGrant['client']> };
  plan: SignInPlan;
  preview: McpRemoteImportPreview;
}

/**
 * Imports a grant mcp-remote keeps in plaintext (`~/.mcp-auth/…/<hash>_tokens.json` and its
 * `_client_info.json`) into the keychain for the matching Switchboard OAuth project: discovery as
 * a sign-in does it, the same `oauth-grant` consent, the tokens and mcp-remote's registration
 * saved as a completed sign-in saves them, then a real call through the bridge's credential path
 * (refreshing when the access token has expired). A failed call puts everything back.
 */
export class McpRemoteImporter {
  constructor(private readonly deps: McpRemoteImportDeps) {}

  async preview(findingId: string): Promise<McpRemoteImportPreview> {
    return (await this.prepare(findingId)).preview;
  }

  /**
   * `confirm` is asked only when this exact grant has no consent yet; resolving false (or
   * throwing) imports nothing.
   */
  async import(
    findingId: string,
    opts: {
      source: 'cli' | 'window';
      confirm: (preview: McpRemoteImportPreview) => Promise<boolean>;
      timeoutMs?: number;
    },
  ): Promise<McpRemoteImportResult> {
    const prepared = await this.prepare(findingId);
    const { plan, preview, grant, target } = prepared;
    const { project } = target;
    if (preview.consent.consent !== 'granted' && !(await opts.confirm(preview))) {
      throw new SwitchboardError(
        'REFUSED',
        `Not imported: no consent. Import it later with switchboard doctor --fix (or sign in with switchboard login ${project.name}).`,
      );
    }
    const secrets = await this.deps.secrets();
    const issuer = plan.discovered.issuer;
    const before = await this.snapshot(project.id, issuer, secrets);
    let refreshed: boolean;
    let tools: number;
    try {
      const generation = await this.save(prepared, before, secrets);
      const report = await testProject(
        { dataDir: this.deps.dataDir, env: this.deps.env, project },
        { timeoutMs: opts.timeoutMs ?? 15_000 },
      );
      if (!report.ok) {
        throw new SwitchboardError(
          'AUTH',
          `Not imported: the check call to ${project.name} failed (${report.failure?.message ?? 'no answer'}); the keychain is as it was and mcp-remote's files are kept. Sign in with switchboard login ${project.name}.`,
        );
      }
      tools = report.tools.length;
      const after = (await oauthStore(this.deps.dataDir).read()).grants[project.id];
      refreshed = Boolean(after && after.generation !== generation);
    } catch (error) {
      await this.restore(project.id, issuer, before, secrets);
      throw error instanceof SwitchboardError
        ? error
        : new SwitchboardError(
            'AUTH',
            `Not imported (${(error as Error).message}); the keychain is as it was and mcp-remote's files are kept.`,
          );
    }
    // Verified: mark the grant (this is what allows deleting the plaintext files), then record
    // the consent and the status exactly as a sign-in does.
    const at = new Date().toISOString();
    await oauthStore(this.deps.dataDir).update((file) => {
      const g = file.grants[project.id];
      if (!g) return { next: file, result: undefined };
      const imported = { from: 'mcp-remote' as const, hash: grant.hash, at };
      return {
        next: { ...file, grants: { ...file.grants, [project.id]: { ...g, imported } } },
        result: undefined,
      };
    });
    if (preview.consent.consent !== 'granted') {
      await this.deps.consents.record(plan.subject, opts.source);
    }
    await writeAuthStatus(this.deps.dataDir, project.id, { status: 'signed-in' });
    return { project: project.name, refreshed, tools, files: preview.files };
  }

  /** Deletes mcp-remote's plaintext files of a grant that was imported and verified. */
  async deletePlaintext(findingId: string): Promise<{ deleted: string[] }> {
    const target = await this.deps.doctor.mcpRemoteGrant(findingId, 'delete-plaintext');
    const deleted: string[] = [];
    for (const file of filesOf(target.tokensPath, target.hash)) {
      if (
        await fs.rm(file).then(
          () => true,
          () => false,
        )
      )
        deleted.push(file);
    }
    return { deleted };
  }

  private async prepare(findingId: string): Promise<Prepared> {
    const target = await this.deps.doctor.mcpRemoteGrant(findingId, 'import-grant');
    const { project } = target;
    const grant = await readMcpRemoteGrant(target.tokensPath, target.hash);
    if (!grant) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `mcp-remote's tokens file ${target.tokensPath} is gone or unreadable; run doctor again.`,
      );
    }
    if (grant.state === 'expired') {
      throw new SwitchboardError(
        'REFUSED',
        `Not imported: mcp-remote's access token for ${project.name} has expired and there is no refresh token; sign in with switchboard login ${project.name}.`,
      );
    }
    const client = grant.client;
    if (!client) {
      throw new SwitchboardError(
        'REFUSED',
        `Not imported: mcp-remote kept no client registration for ${project.name}, so the grant cannot be refreshed; sign in with switchboard login ${project.name}.`,
      );
    }
    const discovered = await discover(project.url, {
      fetch: timeoutFetch(this.deps.fetch),
    });
    // A grant (and its registration) is only ever used with the AS that issued it.
    for (const claimed of [client.issuer, grant.tokens.issuer]) {
      if (claimed && trimSlash(claimed) !== trimSlash(discovered.issuer)) {
        throw new SwitchboardError(
          'REFUSED',
          `Not imported: mcp-remote got this grant from ${claimed}, but ${project.name} now signs in at ${discovered.issuer}; sign in with switchboard login ${project.name}.`,
        );
      }
    }
    const scopes = split(grant.tokens.scope).map((scope) => ({
      scope,
      source: 'granted' as const,
    }));
    const subject: ConsentSubject = {
      kind: 'oauth-grant',
      projectId: project.id,
      projectName: project.name,
      serverUrl: project.url,
      resource: discovered.resource,
      issuer: discovered.issuer,
      clientId: client.client_id,
      scopes: scopes.map((s) => s.scope),
    };
    const plan: SignInPlan = {
      project,
      discovered,
      scopes,
      client: { kind: 'dynamic', clientId: client.client_id },
      subject,
    };
    const consent = await this.deps.oauth.previewOf(plan);
    const files = [grant.tokensPath, ...(grant.clientInfoPath ? [grant.clientInfoPath] : [])];
    return {
      target,
      grant: { ...grant, client },
      plan,
      preview: {
        project: project.name,
        consent,
        state: grant.state === 'valid' ? 'valid' : 'refreshable',
        files,
      },
    };
  }

  /** Keychain entries, then the records: what a completed sign-in writes. */
  private async save(p: Prepared, before: Snapshot, secrets: SecretStore): Promise<number> {
    const { project } = p.target;
    const { discovered } = p.plan;
    const { tokens, client } = p.grant;
    const old = await readStoredTokens(secrets, project.id);
    const generation = Math.max(before.grant?.generation ?? 0, old?.generation ?? 0) + 1;
    await writeStoredTokens(secrets, project.id, {
      access_token: tokens.access_token,
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      generation,
    });
    const issuer = discovered.issuer;
    if (client.client_secret) {
      await secrets.set(registrationSecretAccount(project.id, issuer), client.client_secret);
    } else await secrets.delete(registrationSecretAccount(project.id, issuer));
    const now = Date.now();
    const expiresAt = p.grant.accessExpiresAt;
    // mcp-remote's expires_at is its save time + expires_in, so that is when it was issued.
    const issuedAt =
      expiresAt !== undefined && tokens.expires_in !== undefined
        ? expiresAt - tokens.expires_in * 1000
        : now;
    const record: GrantRecord = {
      issuer,
      authorizationServerUrl: discovered.authorizationServerUrl,
      metadata: discovered.metadata,
      resource: discovered.resource,
      clientId: client.client_id,
      clientKind: 'dynamic',
      scopes: p.plan.scopes.map((s) => s.scope),
      grantedAt: new Date(now).toISOString(),
      issuedAt: new Date(Math.min(issuedAt, now)).toISOString(),
      accessExpiresAt: expiresAt !== undefined ? new Date(expiresAt).toISOString() : null,
      refreshPresent: Boolean(tokens.refresh_token),
      generation,
    };
    await oauthStore(this.deps.dataDir).update((file) => ({
      next: {
        ...file,
        grants: { ...file.grants, [project.id]: record },
        registrations: {
          ...file.registrations,
          [project.id]: {
            ...(file.registrations[project.id] ?? {}),
            [issuer]: {
              clientId: client.client_id,
              kind: 'dynamic',
              hasSecret: Boolean(client.client_secret),
              registeredAt: new Date(
                client.client_id_issued_at ? client.client_id_issued_at * 1000 : now,
              ).toISOString(),
              importedFrom: 'mcp-remote',
            },
          },
        },
      },
      result: undefined,
    }));
    return generation;
  }

  private async snapshot(
    projectId: string,
    issuer: string,
    secrets: SecretStore,
  ): Promise<Snapshot> {
    const file = await oauthStore(this.deps.dataDir).read();
    return {
      grant: file.grants[projectId],
      registration: file.registrations[projectId]?.[issuer],
      tokens: await secrets.get(tokensAccount(projectId)),
      registrationSecret: await secrets.get(registrationSecretAccount(projectId, issuer)),
      status: await readAuthStatus(this.deps.dataDir, projectId),
    };
  }

  private async restore(
    projectId: string,
    issuer: string,
    s: Snapshot,
    secrets: SecretStore,
  ): Promise<void> {
    const put = (account: string, value: string | undefined) =>
      value === undefined ? secrets.delete(account) : secrets.set(account, value);
    await put(tokensAccount(projectId), s.tokens);
    await put(registrationSecretAccount(projectId, issuer), s.registrationSecret);
    await oauthStore(this.deps.dataDir).update((file) => {
      const grants = { ...file.grants };
      if (s.grant) grants[projectId] = s.grant;
      else delete grants[projectId];
      const regs = { ...(file.registrations[projectId] ?? {}) };
      if (s.registration) regs[issuer] = s.registration;
      else delete regs[issuer];
      const registrations = { ...file.registrations, [projectId]: regs };
      if (Object.keys(regs).length === 0) delete registrations[projectId];
      return { next: { ...file, grants, registrations }, result: undefined };
    });
    await writeAuthStatus(
      this.deps.dataDir,
      projectId,
      s.status
        ? {
            status: s.status.status,
            ...(s.status.message ? { message: s.status.message } : {}),
            ...(s.status.scopes ? { scopes: s.status.scopes } : {}),
          }
        : undefined,
    );
  }
}

interface Snapshot {
  grant: GrantRecord | undefined;
  registration: ClientRegistration | undefined;
  tokens: string | undefined;
  registrationSecret: string | undefined;
  status: Awaited<ReturnType<typeof readAuthStatus>>;
}

/** mcp-remote's two files of a grant: `<hash>_tokens.json` and `<hash>_client_info.json`. */
function filesOf(tokensPath: string, hash: string): string[] {
  return [tokensPath, tokensPath.replace(/_tokens\.json$/, '_client_info.json')].filter((f) =>
    f.includes(hash),
  );
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
