import path from 'node:path';
import type { ConsentSubject } from '../consent/consent.js';
import { JsonStore } from '../store/json-store.js';
import { arrayOf, literal, object, optional, shapeValidator, str } from '../store/shape.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import type { Project } from '../projects/project.js';

export const PROVISIONING_CONSENT_KIND = 'full-scope-provisioning';

/** What a full-scope provisioning consent is bound to: this project, this key, this control plane. */
export function provisioningSubject(
  project: Pick<Project, 'id' | 'name'>,
  controlPlane: string,
  keyFingerprint: string,
): ConsentSubject {
  return {
    kind: PROVISIONING_CONSENT_KIND,
    projectId: project.id,
    projectName: project.name,
    serverUrl: controlPlane,
    keyFingerprint,
    controlPlane,
  };
}

interface LightConsent {
  id: string;
  kind: string;
  projectId: string;
  serverUrl: string;
  keyFingerprint?: string;
  controlPlane?: string;
  vendorOrg?: string;
}

// The same file the ConsentService writes (app/consent/), read without zod: bridges check
// consent before they may re-provision, and must start fast.
const consentsShape = shapeValidator<{ version: 1; consents: LightConsent[] }>(
  object({
    version: literal(1),
    consents: arrayOf(
      object({
        id: str,
        kind: str,
        projectId: str,
        serverUrl: str,
        keyFingerprint: optional(str),
        controlPlane: optional(str),
      }),
    ),
  }),
);

/**
 * The recorded consent for exactly this key and control plane, or undefined. Matches on the
 * bound fields of the provisioning kind (the ConsentService hashes the same fields); a record
 * that names a vendor org still matches, since the org is only known after consent.
 */
export async function findProvisioningConsent(
  dataDir: string,
  projectId: string,
  controlPlane: string,
  keyFingerprint: string,
): Promise<{ id: string } | undefined> {
  const store = new JsonStore({
    path: path.join(dataDir, 'consents.json'),
    schema: consentsShape,
    version: 1,
    empty: () => ({ version: 1 as const, consents: [] }),
  });
  const found = (await store.read()).consents.find(
    (c) =>
      c.kind === PROVISIONING_CONSENT_KIND &&
      c.projectId === projectId &&
      c.controlPlane === controlPlane &&
      c.serverUrl === controlPlane &&
      c.keyFingerprint === keyFingerprint,
  );
  return found ? { id: found.id } : undefined;
}

export function watchConsents(dataDir: string, onChange: () => void): FileWatcher {
  return watchFile(path.join(dataDir, 'consents.json'), onChange);
}
