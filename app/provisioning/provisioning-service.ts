import type { ConsentRecord, ConsentSource, ConsentSubject } from '../consent/consent.js';
import type { ConsentService, WithdrawOptions } from '../consent/consent-service.js';
import type { Project } from '../projects/project.js';
import type { ProjectsService } from '../projects/projects-service.js';
import { SwitchboardError } from '../shared/errors.js';
import { isUsable } from '../tokens/expiry.js';
import type { TokensService } from '../tokens/tokens-service.js';
import type { SecretStore } from '../vault/secret-store.js';
import {
  DEFAULT_DEADLINE_MS,
  DeployApi,
  ProvisioningError,
  type ProvisioningProgress,
} from './deploy-api.js';
import { resolveEndpoint } from './endpoint-resolver.js';
import type { EndpointKind } from './endpoint.js';
import { provisionEndpoint } from './provision-flow.js';
import { acquireProvisionLease } from './provision-lease.js';
import { PROVISIONING_CONSENT_KIND, provisioningSubject } from './provisioning-consent.js';
import { ProvisioningFileStore, vendorSecretName } from './provisioning-file.js';

/** A provisioned project's endpoint as the window, the CLI and the tray show it. */
export interface EndpointStatus {
  projectId: string;
  projectName: string;
  kind: EndpointKind;
  url: string;
  reason: string;
  controlPlane?: string;
  vendor?: string;
  keyFingerprint?: string;
  funcId?: string;
  /** When the cached entry (endpoint or failure) was written. */
  updatedAt?: string;
  consent?: { id: string; grantedAt: string; source: ConsentSource };
}

/** What the consent dialog (or the CLI's question) must show before provisioning. */
export interface ProvisioningConsentRequest {
  subject: ConsentSubject;
  vendor: string;
  controlPlane: string;
  sharedUrl: string;
  keyFingerprint: string;
  status: 'granted' | 'needed';
  /** Why it asks again (e.g. keyFingerprint after a key rotation). */
  changed: string[];
}

export interface ProvisionOptions {
  /** The user just consented here (window or CLI); without it a missing consent refuses. */
  consentGiven?: ConsentSource;
  signal?: AbortSignal;
  onProgress?: (p: ProvisioningProgress) => void;
  deadlineMs?: number;
}

/**
 * Per-tenant endpoints for the app and the CLI: status, the consent request, provisioning
 * (explicit, with progress and cancel), reset, and undoing a withdrawn consent. Bridges use
 * the resolver directly (bridge-endpoint.ts).
 */
export type ProgressListener = (p: ProvisioningProgress & { projectId: string }) => void;

export class ProvisioningService {
  readonly cache: ProvisioningFileStore;
  private readonly listeners = new Set<ProgressListener>();
  /** Provisionings running in this process, so a window can cancel them. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly deps: {
      dataDir: string;
      projects: ProjectsService;
      tokens: TokensService;
      consents: ConsentService;
      secrets: () => Promise<SecretStore>;
      fetch?: typeof fetch;
    },
  ) {
    this.cache = new ProvisioningFileStore(deps.dataDir);
  }

  /** Progress of every provisioning in this process (the window's progress line). */
  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cancels a running provisioning of the project; false when none was running. */
  async cancel(ref: string): Promise<boolean> {
    const project = await this.deps.projects.get(ref);
    const running = this.running.get(project.id);
    running?.abort();
    return running !== undefined;
  }

  watch(onChange: () => void): { close(): void } {
    const watchers = [this.cache.watch(onChange), this.deps.consents.watch(onChange)];
    return { close: () => watchers.forEach((w) => w.close()) };
  }

  /** The current endpoint, read-only: never contacts the control plane. */
  async status(ref: string): Promise<EndpointStatus> {
    const project = this.provisioned(await this.deps.projects.get(ref));
    return this.describe(project);
  }

  /** Every provisioned project's endpoint (the tray's per-project kind). */
  async statusAll(): Promise<EndpointStatus[]> {
    const projects = (await this.deps.projects.list()).filter((p) => p.auth === 'provisioned');
    return Promise.all(projects.map((p) => this.describe(p)));
  }

  async consentRequest(ref: string): Promise<ProvisioningConsentRequest> {
    const project = this.provisioned(await this.deps.projects.get(ref));
    const { keyFingerprint } = await this.apiKey(project);
    const settings = this.settings(project);
    const subject = provisioningSubject(project, settings.controlPlane, keyFingerprint);
    const check = await this.deps.consents.check(subject);
    return {
      subject,
      vendor: settings.vendor ?? new URL(settings.controlPlane).host,
      controlPlane: settings.controlPlane,
      sharedUrl: project.url,
      keyFingerprint,
      status: check.status,
      changed: check.status === 'needed' ? check.changed : [],
    };
  }

  /**
   * Provisions now: needs a consent for this key and control plane (recorded earlier, or given
   * just now). A valid cache makes no control-plane call; otherwise secret, deploy, poll.
   * Resolves with the resulting status (per-tenant, or shared with the failure reason).
   */
  async provision(ref: string, opts: ProvisionOptions = {}): Promise<EndpointStatus> {
    const project = this.provisioned(await this.deps.projects.get(ref));
    const settings = this.settings(project);
    const { apiKey, keyFingerprint } = await this.apiKey(project);
    const subject = provisioningSubject(project, settings.controlPlane, keyFingerprint);
    const check = await this.deps.consents.check(subject);
    let consent: ConsentRecord;
    if (check.status === 'granted') consent = check.record;
    else if (opts.consentGiven)
      consent = await this.deps.consents.record(subject, opts.consentGiven);
    else {
      throw new SwitchboardError(
        'REFUSED',
        check.previous
          ? `Provisioning ${project.name} needs your consent again (${check.changed.join(', ')} changed since you consented).`
          : `Provisioning ${project.name} needs your consent: your full-scope API key would be stored in your ${settings.vendor ?? 'vendor'} account.`,
        { consentNeeded: true },
      );
    }
    if (this.running.has(project.id)) {
      throw new SwitchboardError(
        'CONFLICT',
        `${project.name} is being provisioned already; wait for it or cancel it.`,
      );
    }
    const secrets = await this.deps.secrets();
    const cached = await resolveEndpoint({
      dataDir: this.deps.dataDir,
      project,
      apiKey,
      keyFingerprint,
      secrets,
    });
    if (cached.kind === 'per-tenant') return this.describe(project);
    const abort = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
    this.running.set(project.id, abort);
    const release = await acquireProvisionLease(
      this.deps.dataDir,
      opts.deadlineMs ?? DEFAULT_DEADLINE_MS,
    );
    if (!release) {
      this.running.delete(project.id);
      throw new SwitchboardError(
        'CONFLICT',
        `Another Switchboard process is provisioning ${project.name} right now; try again in a moment.`,
      );
    }
    try {
      await provisionEndpoint({
        projectId: project.id,
        controlPlane: settings.controlPlane,
        apiKey,
        keyFingerprint,
        consentId: consent.id,
        cache: this.cache,
        secrets,
        deadlineMs: opts.deadlineMs ?? DEFAULT_DEADLINE_MS,
        signal,
        onProgress: (p) => {
          opts.onProgress?.(p);
          for (const l of this.listeners) l({ ...p, projectId: project.id });
        },
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      });
    } finally {
      this.running.delete(project.id);
      await release().catch(() => undefined);
    }
    return this.describe(project);
  }

  /** Discards the cached endpoint and its shared secret; the next use provisions again. */
  async reset(ref: string): Promise<EndpointStatus> {
    const project = this.provisioned(await this.deps.projects.get(ref));
    await this.discard(project.id);
    return this.describe(project);
  }

  /**
   * The withdraw handler of `full-scope-provisioning`: stop using the per-tenant endpoint (a
   * tombstone keeps any process from re-provisioning under this consent), delete the cached
   * shared secret, and — only when asked — the vendor-side function and secret.
   */
  async withdraw(record: ConsentRecord, opts: WithdrawOptions): Promise<void> {
    const entry = await this.cache.get(record.projectId);
    const secrets = await this.deps.secrets();
    await this.cache.put({
      projectId: record.projectId,
      controlPlane: record.controlPlane ?? entry?.controlPlane ?? '',
      keyFingerprint: record.keyFingerprint ?? entry?.keyFingerprint ?? '',
      status: 'withdrawn',
      secretName: entry?.secretName ?? vendorSecretName(record.keyFingerprint ?? ''),
      ...(entry?.secretId ? { secretId: entry.secretId } : {}),
      ...(entry?.funcId ? { funcId: entry.funcId } : {}),
      consentId: record.id,
      updatedAt: new Date().toISOString(),
    });
    if (entry?.sharedSecretAccount) await secrets.delete(entry.sharedSecretAccount);
    if (opts.deleteRemote) {
      await this.deleteVendorSide(
        await this.deps.projects.find(record.projectId),
        record.controlPlane,
        record.keyFingerprint ?? '',
        entry?.funcId,
        entry?.secretId,
      );
    }
  }

  /** A removed project: its cache entry and shared secret go too (nothing remote is touched). */
  async forgetProject(projectId: string): Promise<void> {
    await this.discard(projectId);
  }

  /**
   * Deletes the vendor-side function and secret of a project whose consent was withdrawn (the
   * window's second confirmation). Needs the API key, which authenticates to the control plane.
   */
  async deleteRemote(ref: string): Promise<void> {
    const project = await this.deps.projects.get(ref);
    const entry = await this.cache.get(project.id);
    if (!entry || entry.status !== 'withdrawn') {
      throw new SwitchboardError(
        'VALIDATION',
        `Withdraw the full-scope consent of ${project.name} first; its vendor-side function and secret are deleted only after that.`,
      );
    }
    await this.deleteVendorSide(
      project,
      entry.controlPlane,
      entry.keyFingerprint,
      entry.funcId,
      entry.secretId,
    );
    const { funcId: _f, secretId: _s, ...rest } = entry;
    await this.cache.put({ ...rest, updatedAt: new Date().toISOString() });
  }

  private async deleteVendorSide(
    project: Project | undefined,
    controlPlane: string | undefined,
    keyFingerprint: string,
    funcId: string | undefined,
    secretId: string | undefined,
  ): Promise<void> {
    if (!project || !controlPlane) {
      throw new SwitchboardError(
        'NOT_FOUND',
        'The vendor-side function and secret cannot be deleted from here: the project or its control plane is gone. Delete them in the vendor console.',
      );
    }
    const { apiKey } = await this.apiKey(project);
    const api = new DeployApi({
      controlPlane,
      apiKey,
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    });
    try {
      if (funcId) await api.deleteFunction(funcId);
      const id = secretId ?? (await api.findSecret(vendorSecretName(keyFingerprint)))?.id;
      if (id) await api.deleteSecret(id);
    } catch (error) {
      const short = error instanceof ProvisioningError ? error.short : (error as Error).message;
      throw new SwitchboardError(
        'UPSTREAM',
        `${project.name} no longer uses its private endpoint, but deleting the vendor-side function and secret failed (${short}). Try again, or delete them in the vendor console.`,
      );
    }
  }

  private async discard(projectId: string): Promise<void> {
    const gone = await this.cache.remove(projectId);
    if (gone?.sharedSecretAccount)
      await (await this.deps.secrets()).delete(gone.sharedSecretAccount);
  }

  private async describe(project: Project): Promise<EndpointStatus> {
    const settings = project.provisioning;
    const base = {
      projectId: project.id,
      projectName: project.name,
      ...(settings ? { controlPlane: settings.controlPlane } : {}),
      ...(settings?.vendor ? { vendor: settings.vendor } : {}),
    };
    const key = await this.apiKey(project).catch((error: unknown) => {
      // No key is a state to show; a keychain failure is an error to report.
      if (error instanceof SwitchboardError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    if (!key) {
      return { ...base, kind: 'shared', url: project.url, reason: 'shared (no API key)' };
    }
    const secrets = await this.deps.secrets();
    const ep = await resolveEndpoint({
      dataDir: this.deps.dataDir,
      project,
      apiKey: key.apiKey,
      keyFingerprint: key.keyFingerprint,
      secrets,
    });
    const entry = await this.cache.get(project.id);
    const consent = (await this.deps.consents.forProject(project.id, PROVISIONING_CONSENT_KIND))[0];
    return {
      ...base,
      kind: ep.kind,
      url: ep.url,
      reason: ep.reason,
      keyFingerprint: key.keyFingerprint,
      ...(entry?.funcId && ep.kind === 'per-tenant' ? { funcId: entry.funcId } : {}),
      ...(entry ? { updatedAt: entry.updatedAt } : {}),
      ...(consent && consent.keyFingerprint === key.keyFingerprint
        ? { consent: { id: consent.id, grantedAt: consent.grantedAt, source: consent.source } }
        : {}),
    };
  }

  private provisioned(project: Project): Project {
    if (project.auth !== 'provisioned') {
      throw new SwitchboardError(
        'VALIDATION',
        `${project.name} does not use per-tenant provisioning (auth ${project.auth}); add one with --preset or --auth provisioned.`,
      );
    }
    return project;
  }

  private settings(project: Project): NonNullable<Project['provisioning']> {
    if (!project.provisioning) {
      throw new SwitchboardError(
        'VALIDATION',
        `${project.name} has no control plane configured; set one with switchboard project edit ${project.name} --control-plane URL.`,
      );
    }
    return project.provisioning;
  }

  private async apiKey(project: Project): Promise<{ apiKey: string; keyFingerprint: string }> {
    const record = (await this.deps.tokens.recordsFor(project.id)).find(
      (r) => !r.revokedAt && (r.kind === 'provisioned' || r.kind === 'bearer') && isUsable(r),
    );
    const apiKey = record ? await this.deps.tokens.secretOf(record) : undefined;
    if (!record || !apiKey) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `${project.name} has no API key; add it: switchboard token add ${project.name} --token-stdin.`,
      );
    }
    return { apiKey, keyFingerprint: record.fingerprint };
  }
}
