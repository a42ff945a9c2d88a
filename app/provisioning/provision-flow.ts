import type { SecretStore } from '../vault/secret-store.js';
import {
  DEFAULT_DEADLINE_MS,
  DeployApi,
  ProvisioningError,
  type ProvisioningProgress,
} from './deploy-api.js';
import {
  newSharedSecretAccount,
  vendorSecretName,
  type ProvisionedEntry,
  type ProvisioningFileStore,
} from './provisioning-file.js';

export interface ProvisionInput {
  projectId: string;
  controlPlane: string;
  apiKey: string;
  keyFingerprint: string;
  consentId: string;
  cache: ProvisioningFileStore;
  secrets: SecretStore;
  deadlineMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProvisioningProgress) => void;
  fetch?: typeof fetch;
}

export type ProvisionOutcome =
  | { ok: true; entry: ProvisionedEntry; sharedSecret: string }
  | { ok: false; entry: ProvisionedEntry; short: string };

/**
 * Steps 1–3 of the flow: ensure the vendor secret (looked up by its deterministic name, created
 * only when missing), deploy and wait for the function, then cache the URL (data dir) and the
 * shared secret (keychain). Never throws for a control-plane failure: the outcome carries the
 * short reason, which is cached too so every process shows the same fallback.
 */
export async function provisionEndpoint(input: ProvisionInput): Promise<ProvisionOutcome> {
  const started = Date.now();
  const deadlineMs = input.deadlineMs ?? DEFAULT_DEADLINE_MS;
  // One deadline for the whole flow (secret lookup, create, deploy, polls), and the cancel.
  const deadline = AbortSignal.timeout(deadlineMs);
  const api = new DeployApi({
    controlPlane: input.controlPlane,
    apiKey: input.apiKey,
    ...(input.fetch ? { fetch: input.fetch } : {}),
    signal: input.signal ? AbortSignal.any([input.signal, deadline]) : deadline,
  });
  const progress = (stage: ProvisioningProgress['stage']) =>
    input.onProgress?.({ stage, elapsedMs: Date.now() - started, deadlineMs });
  const secretName = vendorSecretName(input.keyFingerprint);
  const base = {
    projectId: input.projectId,
    controlPlane: input.controlPlane,
    keyFingerprint: input.keyFingerprint,
    secretName,
    consentId: input.consentId,
  };
  let secretId: string | undefined;
  try {
    progress('secret-lookup');
    secretId = (await api.findSecret(secretName))?.id;
    if (!secretId) {
      progress('secret-create');
      secretId = (await api.createSecret(secretName, input.apiKey)).id;
    }
    const remaining = Math.max(1, deadlineMs - (Date.now() - started));
    const deployment = await api.deploy(secretId, {
      deadlineMs: remaining,
      ...(input.onProgress
        ? {
            onProgress: (p) =>
              input.onProgress?.({ ...p, elapsedMs: Date.now() - started, deadlineMs }),
          }
        : {}),
    });
    const previous = await input.cache.get(input.projectId);
    const account = newSharedSecretAccount();
    await input.secrets.set(account, deployment.sharedSecret);
    const entry: ProvisionedEntry = {
      ...base,
      status: 'ready',
      secretId,
      url: deployment.url,
      funcId: deployment.funcId,
      sharedSecretAccount: account,
      updatedAt: new Date().toISOString(),
    };
    await input.cache.put(entry);
    // The earlier secret (a reset, or another key) is replaced by the one just returned.
    if (previous?.sharedSecretAccount && previous.sharedSecretAccount !== account) {
      await input.secrets.delete(previous.sharedSecretAccount).catch(() => false);
    }
    return { ok: true, entry, sharedSecret: deployment.sharedSecret };
  } catch (error) {
    const short = input.signal?.aborted
      ? 'cancelled'
      : deadline.aborted
        ? `no ready endpoint within ${Math.round(deadlineMs / 1000)} s`
        : error instanceof ProvisioningError
          ? error.short
          : `unexpected error (${(error as Error).name})`;
    const entry: ProvisionedEntry = {
      ...base,
      status: 'failed',
      ...(secretId ? { secretId } : {}),
      failure: short,
      updatedAt: new Date().toISOString(),
    };
    const replaced = await input.cache.put(entry).catch(() => undefined);
    if (replaced?.sharedSecretAccount) {
      await input.secrets.delete(replaced.sharedSecretAccount).catch(() => false);
    }
    return { ok: false, entry, short };
  }
}
