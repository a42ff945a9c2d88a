import type { Project } from '../projects/project.js';
import type { FileWatcher } from '../store/watch-file.js';
import { fingerprint } from '../tokens/fingerprint.js';
import type { SecretStore } from '../vault/secret-store.js';
import { resolveEndpoint } from './endpoint-resolver.js';
import { failedReason, type EndpointKind, type ResolvedEndpoint } from './endpoint.js';
import { redactSecrets } from '../shared/redact.js';
import { watchConsents } from './provisioning-consent.js';
import { ProvisioningFileStore } from './provisioning-file.js';

/** A bridge with a valid consent and a lost cache re-provisions for at most this long. */
export const BRIDGE_PROVISION_DEADLINE_MS = 10_000;

export interface ProvisionedCredential {
  url: string;
  kind: EndpointKind;
  reason: string;
  /** The value for `Authorization: Bearer …`: the API key or the shared secret, per endpoint. */
  bearer: string;
  /** Of the bearer actually sent, for audit. */
  fingerprint: string;
}

/**
 * The credential provider's provisioned branch: the endpoint and the bearer that belongs to it.
 * A bridge may re-provision (idempotent, within 10 s) when a consent exists and the cache was
 * lost; without a consent it never contacts the control plane.
 */
export async function provisionedCredential(opts: {
  dataDir: string;
  project: Pick<Project, 'id' | 'name' | 'url' | 'provisioning'>;
  apiKey: string;
  keyFingerprint: string;
  secrets: SecretStore;
}): Promise<ProvisionedCredential> {
  // Any failure here (even a corrupt provisioning.json, which stays untouched) means the shared
  // URL with the API key, as without provisioning: the project keeps working.
  const ep = await resolveEndpoint({
    ...opts,
    provision: { deadlineMs: BRIDGE_PROVISION_DEADLINE_MS },
  }).catch((error: unknown): ResolvedEndpoint => ({
    kind: 'shared',
    url: opts.project.url,
    bearer: opts.apiKey,
    reason: failedReason(redactSecrets((error as Error).message, [opts.apiKey]).slice(0, 200)),
  }));
  return {
    url: ep.url,
    kind: ep.kind,
    reason: ep.reason,
    bearer: ep.bearer,
    fingerprint: fingerprint(ep.bearer),
  };
}

/** The files whose change can move a provisioned project to another endpoint. */
export function watchProvisioningInputs(dataDir: string, onChange: () => void): FileWatcher[] {
  return [new ProvisioningFileStore(dataDir).watch(onChange), watchConsents(dataDir, onChange)];
}
