import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { ConsentService } from '../consent/consent-service.js';
import type { OAuthConsentPreviewDto } from '../contract/oauth-contract.js';
import { readAuthStatus, restoreAuthStatus, writeAuthStatus } from '../oauth/auth-status.js';
import { discover } from '../oauth/discovery.js';
import {
  oauthStore,
  readStoredTokens,
  registrationSecretAccount,
  tokensAccount,
  writeStoredTokens,
  type ClientRegistration,
  type GrantRecord,
  type OAuthFile,
} from '../oauth/grant-store.js';
import type { OAuthService } from '../oauth/oauth-service.js';
import { split } from '../oauth/scopes.js';
import { oauthGrantSubject, type SignInPlan } from '../oauth/sign-in.js';
import { timeoutFetch } from '../oauth/timeout-fetch.js';
import { SwitchboardError } from '../shared/errors.js';
import { redactSecrets } from '../shared/redact.js';
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
  /** sha256 of those files' bytes: the window's import is refused when they changed since. */
  fileSha256: string;
  /**
   * mcp-remote recorded no issuer: its refresh token is left out (a refresh would send it to an
   * authorization server nothing vouches for), so a sign-in is needed once the access token
   * expires. Shown with the consent and the result.
   */
  accessOnly?: string;
}

/** What the window showed in its consent dialog; the import refuses if any of it changed. */
export interface McpRemoteImportExpectation {
  issuer: string;
  clientId: string;
  scopes: string[];
  fileSha256: string;
}

export interface McpRemoteImportResult {
  project: string;
  /** The access token had expired: the verification refreshed it. */
  refreshed: boolean;
  /** Tools the verifying call listed. */
  tools: number;
  files: string[];
  /** As in the preview: the refresh token was left out, and why. */
  accessOnly?: string;
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
   * throwing) imports nothing. `expect` (the window) refuses when the grant differs from the
   * preview the consent was given on.
   */
  async import(
    findingId: string,
    opts: {
      source: 'cli' | 'window';
      confirm: (preview: McpRemoteImportPreview) => Promise<boolean>;
      expect?: McpRemoteImportExpectation;
      timeoutMs?: number;
    },
  ): Promise<McpRemoteImportResult> {
    await this.rollBackInterrupted();
    const prepared = await this.prepare(findingId);
    const { plan, preview, grant, target } = prepared;
    const { project } = target;
    if (opts.expect) unchangedSince(opts.expect, preview);
    if (preview.consent.consent !== 'granted' && !(await opts.confirm(preview))) {
      throw new SwitchboardError(
        'REFUSED',
        `Not imported: no consent. Import it later with switchboard doctor --fix (or sign in with switchboard login ${project.name}).`,
      );
    }
    const secrets = await this.deps.secrets();
    const issuer = plan.discovered.issuer;
    const before = await this.snapshot(project.id, issuer, secrets);
    running.add(project.id);
    try {
      // Written as pending: no bridge uses it, and an interrupted import is rolled back later.
      const generation = await this.save(prepared, before, secrets);
      const report = await testProject(
        { dataDir: this.deps.dataDir, env: this.deps.env, project, usePendingImport: true },
        { timeoutMs: opts.timeoutMs ?? 15_000 },
      );
      const after = (await oauthStore(this.deps.dataDir).read()).grants[project.id];
      const refreshed = Boolean(after && after.generation !== generation);
      if (!report.ok) {
        const why = report.failure?.message ?? 'no answer';
        throw new SwitchboardError(
          'AUTH',
          refreshed
            ? await this.afterRefreshMessage(project.id, project.name, why, grant, secrets)
            : `Not imported: the check call to ${project.name} failed (${why}); the keychain is as it was and mcp-remote's files are kept. Sign in with switchboard login ${project.name}.`,
        );
      }
      // Verified. The consent and the status first, then the one write that makes the grant
      // usable: an interruption anywhere before it leaves a pending grant, which is rolled back.
      if (preview.consent.consent !== 'granted') {
        await this.deps.consents.record(plan.subject, opts.source);
      }
      await writeAuthStatus(this.deps.dataDir, project.id, { status: 'signed-in' });
      await this.commit(project.id, grant.hash);
      return {
        project: project.name,
        refreshed,
        tools: report.tools.length,
        files: preview.files,
        ...(preview.accessOnly ? { accessOnly: preview.accessOnly } : {}),
      };
    } catch (error) {
      const failure =
        error instanceof SwitchboardError
          ? error
          : new SwitchboardError(
              'AUTH',
              `Not imported (${redactSecrets((error as Error).message, knownValues(grant))}); the keychain is as it was and mcp-remote's files are kept.`,
            );
      const problem = await this.restore(project.id, issuer, grant.hash, before, secrets).then(
        () => undefined,
        (e: unknown) => e as RestoreError,
      );
      if (!problem) throw failure;
      // The original error stays first, then what is left and who finishes it.
      const left =
        problem.step === 'records'
          ? 'the unverified grant stays unused until the next switchboard doctor rolls it back'
          : 'the keychain still holds the unverified tokens, unused by anything; a sign-in replaces them';
      throw new SwitchboardError(
        failure.code,
        `${failure.message} Putting the previous state back failed too (${redactSecrets(problem.failure.message, knownValues(grant))}): ${left}.`,
      );
    } finally {
      running.delete(project.id);
    }
  }

  /**
   * Rolls back imports that were interrupted before their check call finished (Ctrl-C, kill,
   * the window quit): their pending grant, its keychain entry and mcp-remote's registration go,
   * the status is put back. Returns one line per rollback.
   */
  async rollBackInterrupted(): Promise<string[]> {
    const store = oauthStore(this.deps.dataDir);
    const stale = Object.entries((await store.read()).grants).filter(
      ([id, g]) => g.pending && !importStillRunning(id, g.pending),
    );
    if (stale.length === 0) return [];
    const secrets = await this.deps.secrets();
    const lines: string[] = [];
    for (const [projectId, g] of stale) {
      const removed = await store.update((file) => {
        const current = file.grants[projectId];
        if (!current?.pending || current.pending.since !== g.pending!.since) {
          return { next: file, result: false };
        }
        return { next: withoutImport(file, projectId, current), result: true };
      });
      if (!removed) continue;
      await secrets.delete(tokensAccount(projectId));
      await secrets.delete(registrationSecretAccount(projectId, g.issuer));
      await restoreAuthStatus(this.deps.dataDir, projectId, g.pending!.previousStatus);
      const name = g.pending!.project;
      lines.push(
        `An import of mcp-remote's grant into project ${name} was interrupted before a call verified it: rolled back (the keychain no longer holds it; mcp-remote's files are kept).` +
          (g.generation > g.pending!.generation
            ? " Its check had already refreshed the token, so if the server rotates refresh tokens, mcp-remote's copy no longer works and mcp-remote will have to sign in again."
            : '') +
          ` Import it again with switchboard doctor --fix, or sign in with switchboard login ${name}.`,
      );
    }
    return lines;
  }

  /** Precisely what a failed check after a successful refresh means for mcp-remote's copy. */
  private async afterRefreshMessage(
    projectId: string,
    name: string,
    why: string,
    grant: McpRemoteGrant,
    secrets: SecretStore,
  ): Promise<string> {
    const now = await readStoredTokens(secrets, projectId).catch(() => undefined);
    const rotated = Boolean(now?.refresh_token && now.refresh_token !== grant.tokens.refresh_token);
    return (
      `Not imported: the check refreshed the expired access token, then the call to ${name} failed (${why}); the keychain is as it was and mcp-remote's files are kept. ` +
      (rotated
        ? `The server replaced the refresh token when it refreshed, so mcp-remote's copy no longer works: mcp-remote will have to sign in again, and so will this project (switchboard login ${name}).`
        : `The server kept the refresh token, so mcp-remote's copy still works; import it again later or sign in with switchboard login ${name}.`)
    );
  }

  /** The check passed: the grant becomes usable and is marked imported, in one write. */
  private async commit(projectId: string, hash: string): Promise<void> {
    const at = new Date().toISOString();
    const done = await oauthStore(this.deps.dataDir).update((file) => {
      const g = file.grants[projectId];
      if (!g?.pending || g.pending.hash !== hash) return { next: file, result: false };
      const { pending: _pending, ...rest } = g;
      const imported = { from: 'mcp-remote' as const, hash, at };
      return {
        next: { ...file, grants: { ...file.grants, [projectId]: { ...rest, imported } } },
        result: true,
      };
    });
    if (!done) {
      throw new SwitchboardError(
        'CONFLICT',
        'Not imported: the grant changed while it was being checked (another sign-in or import); nothing of this import is kept.',
      );
    }
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
    // A refresh sends mcp-remote's refresh token (and client secret) to the discovered AS: with
    // no record of the AS that issued them, nothing says that is the same one, so refuse rather
    // than ask (a consent line saying "not verified" is one click away from leaking them).
    if (grant.state === 'refreshable' && !client.issuer && !grant.tokens.issuer) {
      throw new SwitchboardError(
        'REFUSED',
        `Not imported: mcp-remote's access token for ${project.name} has expired, and mcp-remote did not record which authorization server issued the grant, so Switchboard cannot check that ${discovered.issuer} is that server before sending it mcp-remote's refresh token. Sign in with switchboard login ${project.name}.`,
      );
    }
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
    const subject = oauthGrantSubject(
      project,
      discovered,
      client.client_id,
      scopes.map((s) => s.scope),
    );
    const plan: SignInPlan = {
      project,
      discovered,
      scopes,
      client: { kind: 'dynamic', clientId: client.client_id },
      subject,
    };
    const consent = await this.deps.oauth.previewOf(plan);
    const files = [grant.tokensPath, ...(grant.clientInfoPath ? [grant.clientInfoPath] : [])];
    const fileSha256 = await sha256Of(files);
    const accessOnly =
      !client.issuer && !grant.tokens.issuer && grant.tokens.refresh_token
        ? `mcp-remote did not record which authorization server issued this grant, so Switchboard leaves its refresh token out (a refresh would send it to ${discovered.issuer} unchecked): sign in with switchboard login ${project.name} once the access token expires.`
        : undefined;
    return {
      target,
      grant: {
        ...grant,
        client,
        tokens: accessOnly ? withoutRefresh(grant.tokens) : grant.tokens,
      },
      plan,
      preview: {
        project: project.name,
        consent,
        state: grant.state === 'valid' ? 'valid' : 'refreshable',
        files,
        fileSha256,
        ...(accessOnly ? { accessOnly } : {}),
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
      pending: {
        from: 'mcp-remote',
        hash: p.grant.hash,
        project: project.name,
        pid: process.pid,
        since: new Date(now).toISOString(),
        generation,
        ...(before.status ? { previousStatus: before.status } : {}),
      },
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

  /**
   * Puts back what `snapshot` saw — only while the grant is still this import's pending one (or
   * was never written): a sign-in that replaced it meanwhile is never undone. Every step is
   * tried; the first failure is thrown after the rest ran.
   */
  private async restore(
    projectId: string,
    issuer: string,
    hash: string,
    s: Snapshot,
    secrets: SecretStore,
  ): Promise<void> {
    const ours = await oauthStore(this.deps.dataDir)
      .update((file) => {
        const current = file.grants[projectId];
        const mine = current?.pending
          ? current.pending.pid === process.pid && current.pending.hash === hash
          : !current || current.generation === s.grant?.generation;
        if (!mine) return { next: file, result: false };
        const grants = { ...file.grants };
        if (s.grant) grants[projectId] = s.grant;
        else delete grants[projectId];
        const regs = { ...(file.registrations[projectId] ?? {}) };
        if (s.registration) regs[issuer] = s.registration;
        else delete regs[issuer];
        const registrations = { ...file.registrations, [projectId]: regs };
        if (Object.keys(regs).length === 0) delete registrations[projectId];
        return { next: { ...file, grants, registrations }, result: true };
      })
      .catch((e: unknown) => {
        throw new RestoreError('records', e as Error);
      });
    if (!ours) return;
    const put = (account: string, value: string | undefined) =>
      value === undefined ? secrets.delete(account) : secrets.set(account, value);
    const steps = [
      () => put(tokensAccount(projectId), s.tokens),
      () => put(registrationSecretAccount(projectId, issuer), s.registrationSecret),
      () => restoreAuthStatus(this.deps.dataDir, projectId, s.status),
    ];
    let first: Error | undefined;
    for (const step of steps) {
      await step().catch((e: unknown) => (first ??= e as Error));
    }
    if (first) throw new RestoreError('keychain', first);
  }
}

/** Which part of a rollback failed: oauth.json (grant still pending) or a later step. */
class RestoreError extends Error {
  constructor(
    readonly step: 'records' | 'keychain',
    readonly failure: Error,
  ) {
    super(failure.message);
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

/** Imports in flight in this process (a pending grant of a live pid may be one of them). */
const running = new Set<string>();

/** Imports checking longer than this are interrupted even if a process with their pid lives. */
const PENDING_MAX_MS = 10 * 60_000;

function importStillRunning(projectId: string, p: { pid: number; since: string }): boolean {
  if (Date.now() - Date.parse(p.since) > PENDING_MAX_MS) return false;
  if (p.pid === process.pid) return running.has(projectId);
  try {
    process.kill(p.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file without an import's pending grant and the registration it brought. */
function withoutImport(file: OAuthFile, projectId: string, g: GrantRecord): OAuthFile {
  const grants = { ...file.grants };
  delete grants[projectId];
  const regs = { ...(file.registrations[projectId] ?? {}) };
  const reg = regs[g.issuer];
  if (reg?.importedFrom === 'mcp-remote' && reg.clientId === g.clientId) delete regs[g.issuer];
  const registrations = { ...file.registrations, [projectId]: regs };
  if (Object.keys(regs).length === 0) delete registrations[projectId];
  return { ...file, grants, registrations };
}

function unchangedSince(expect: McpRemoteImportExpectation, preview: McpRemoteImportPreview): void {
  const c = preview.consent;
  const changed = [
    expect.issuer !== c.issuer && 'the authorization server',
    expect.clientId !== c.client.clientId && 'the client',
    expect.scopes.join(' ') !== c.scopes.map((s) => s.scope).join(' ') && 'the scopes',
    expect.fileSha256 !== preview.fileSha256 && "mcp-remote's files",
  ].filter((x): x is string => Boolean(x));
  if (changed.length) {
    throw new SwitchboardError(
      'CONFLICT',
      `Not imported: ${changed.join(', ')} changed since the dialog showed them. Nothing was written; start the import again to see what it is now.`,
    );
  }
}

async function sha256Of(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const f of files) hash.update(await fs.readFile(f)).update('\0');
  return hash.digest('hex');
}

function withoutRefresh(tokens: McpRemoteGrant['tokens']): McpRemoteGrant['tokens'] {
  const { refresh_token: _refresh, ...rest } = tokens;
  return rest;
}

/** mcp-remote's token values, for redacting messages that might echo them. */
function knownValues(g: McpRemoteGrant): string[] {
  return [g.tokens.access_token, g.tokens.refresh_token, g.client?.client_secret].filter(
    (v): v is string => Boolean(v),
  );
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
