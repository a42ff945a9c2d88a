import type { Project } from '../projects/project.js';
import type { SecretStore } from '../vault/secret-store.js';
import type { ProvisioningProgress } from './deploy-api.js';
import {
  REASON_NO_CONSENT,
  REASON_NO_CONTROL_PLANE,
  REASON_NOT_PROVISIONED,
  REASON_OVERRIDE,
  REASON_PER_TENANT,
  failedReason,
  type ResolvedEndpoint,
} from './endpoint.js';
import { provisionEndpoint } from './provision-flow.js';
import { acquireProvisionLease } from './provision-lease.js';
import { findProvisioningConsent } from './provisioning-consent.js';
import { ProvisioningFileStore, type ProvisionedEntry } from './provisioning-file.js';

export interface ResolveInput {
  dataDir: string;
  project: Pick<Project, 'id' | 'name' | 'url' | 'provisioning'>;
  apiKey: string;
  keyFingerprint: string;
  secrets: SecretStore;
  /**
   * Provision on a cache miss (only ever with a recorded consent), with this deadline. Omitted:
   * read-only, as the app and CLI use it to show the state.
   */
  provision?: {
    deadlineMs: number;
    signal?: AbortSignal;
    onProgress?: (p: ProvisioningProgress) => void;
    fetch?: typeof fetch;
  };
}

/**
 * Which URL and bearer a provisioned project uses right now. In order: the project's URL
 * override (with the API key); no consent for this key and control plane → the shared URL with
 * the API key; a cached per-tenant endpoint → its URL with the shared secret; a cached failure →
 * shared with that reason; a lost cache → provision (when allowed) or shared. The shared secret
 * never goes to the shared URL and the API key never to the per-tenant one.
 */
export async function resolveEndpoint(input: ResolveInput): Promise<ResolvedEndpoint> {
  const { project, apiKey } = input;
  const shared = (reason: string): ResolvedEndpoint => ({
    kind: 'shared',
    url: project.url,
    bearer: apiKey,
    reason,
  });
  const settings = project.provisioning;
  if (settings?.endpointOverride) {
    return {
      kind: 'override',
      url: settings.endpointOverride,
      bearer: apiKey,
      reason: REASON_OVERRIDE,
    };
  }
  if (!settings) return shared(REASON_NO_CONTROL_PLANE);
  const consent = await findProvisioningConsent(
    input.dataDir,
    project.id,
    settings.controlPlane,
    input.keyFingerprint,
  );
  if (!consent) return shared(REASON_NO_CONSENT);

  const cache = new ProvisioningFileStore(input.dataDir);
  const lookup = () =>
    cachedEndpoint(
      cache,
      project.id,
      settings.controlPlane,
      input.keyFingerprint,
      consent.id,
      input.secrets,
    );
  const cached = await lookup();
  if (cached) return cached.kind === 'per-tenant' ? cached : shared(cached.reason);
  // A lost cache (no entry, another key or control plane, the shared secret gone).
  if (!input.provision) return shared(REASON_NOT_PROVISIONED);
  const { provision } = input;
  const release = await acquireProvisionLease(input.dataDir, provision.deadlineMs);
  if (!release) return shared(failedReason('another process is still provisioning'));
  try {
    // The process that held the lease may have provisioned it meanwhile.
    const fresh = await lookup();
    if (fresh) return fresh.kind === 'per-tenant' ? fresh : shared(fresh.reason);
    const outcome = await provisionEndpoint({
      projectId: project.id,
      controlPlane: settings.controlPlane,
      apiKey,
      keyFingerprint: input.keyFingerprint,
      consentId: consent.id,
      cache,
      secrets: input.secrets,
      deadlineMs: provision.deadlineMs,
      ...(provision.signal ? { signal: provision.signal } : {}),
      ...(provision.onProgress ? { onProgress: provision.onProgress } : {}),
      ...(provision.fetch ? { fetch: provision.fetch } : {}),
    });
    return outcome.ok && outcome.entry.url
      ? {
          kind: 'per-tenant',
          url: outcome.entry.url,
          bearer: outcome.sharedSecret,
          reason: REASON_PER_TENANT,
        }
      : shared(failedReason(outcome.ok ? 'no url' : outcome.short));
  } finally {
    await release().catch(() => undefined);
  }
}

/** The cached state for this key and control plane: per-tenant, a reason for shared, or a miss. */
async function cachedEndpoint(
  cache: ProvisioningFileStore,
  projectId: string,
  controlPlane: string,
  keyFingerprint: string,
  consentId: string,
  secrets: SecretStore,
): Promise<ResolvedEndpoint | { kind: 'shared'; reason: string } | undefined> {
  const entry = await cache.get(projectId);
  if (!entry || !matches(entry, controlPlane, keyFingerprint)) return undefined;
  if (entry.status === 'withdrawn' && entry.consentId === consentId) {
    return { kind: 'shared', reason: REASON_NO_CONSENT };
  }
  if (entry.status === 'failed') {
    return { kind: 'shared', reason: failedReason(entry.failure ?? 'unknown') };
  }
  if (entry.status === 'ready' && entry.url && entry.sharedSecretAccount) {
    const sharedSecret = await secrets.get(entry.sharedSecretAccount);
    if (sharedSecret) {
      return {
        kind: 'per-tenant',
        url: entry.url,
        bearer: sharedSecret,
        reason: REASON_PER_TENANT,
      };
    }
  }
  return undefined;
}

function matches(entry: ProvisionedEntry, controlPlane: string, keyFingerprint: string): boolean {
  return entry.controlPlane === controlPlane && entry.keyFingerprint === keyFingerprint;
}
