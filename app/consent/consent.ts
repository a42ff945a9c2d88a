import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * What Switchboard may do on the user's behalf only after they said yes in a consent dialog (or
 * an interactive CLI confirmation): an OAuth grant with its scopes, a full-scope API key injected
 * into a vendor's per-tenant function, … A record is bound to exactly what was shown: any change
 * of a bound field asks again.
 */
export const CONSENT_KINDS = ['oauth-grant', 'full-scope-provisioning'] as const;
export const ConsentKindSchema = z.enum(CONSENT_KINDS);
export type ConsentKind = z.infer<typeof ConsentKindSchema>;

export const CONSENTS_FILE_VERSION = 1;

/** The fields a consent is bound to. Optional ones apply to one kind or the other. */
export const ConsentSubjectSchema = z.object({
  kind: ConsentKindSchema,
  projectId: z.string().min(1),
  /** For display; not bound (renaming a project does not ask again). */
  projectName: z.string().min(1),
  serverUrl: z.string().min(1),
  /** OAuth: the canonical resource (RFC 8707) the grant is for. */
  resource: z.string().optional(),
  /** OAuth: the authorization server's issuer. */
  issuer: z.string().optional(),
  /** OAuth: the client identity used (pre-registered id, metadata document URL, or "dynamic"). */
  clientId: z.string().optional(),
  /** OAuth: the scopes requested (compared as a set). */
  scopes: z.array(z.string()).optional(),
  /** Provisioning: SHA-256 fingerprint prefix of the API key that will be injected. */
  keyFingerprint: z.string().optional(),
  /** Provisioning: the vendor control plane that receives the key. */
  controlPlane: z.string().optional(),
  /** Provisioning: the vendor account/org, when known. */
  vendorOrg: z.string().optional(),
});
export type ConsentSubject = z.infer<typeof ConsentSubjectSchema>;

export const ConsentSourceSchema = z.enum(['window', 'cli']);
export type ConsentSource = z.infer<typeof ConsentSourceSchema>;

export const ConsentRecordSchema = ConsentSubjectSchema.extend({
  id: z.string().regex(/^con_[a-z0-9]{8,}$/),
  /** SHA-256 over the bound fields (see consentHash). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  grantedAt: z.string(),
  source: ConsentSourceSchema,
  appVersion: z.string(),
});
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>;

export const ConsentsFileSchema = z.object({
  version: z.literal(CONSENTS_FILE_VERSION),
  consents: z.array(ConsentRecordSchema),
});
export type ConsentsFile = z.infer<typeof ConsentsFileSchema>;

/** Every field except projectName (display only); scopes as a sorted set. */
const BOUND_FIELDS = [
  'kind',
  'projectId',
  'serverUrl',
  'resource',
  'issuer',
  'clientId',
  'scopes',
  'keyFingerprint',
  'controlPlane',
  'vendorOrg',
] as const satisfies ReadonlyArray<keyof ConsentSubject>;

/** A stable hash of what was consented to: identical requests match, any change does not. */
export function consentHash(subject: ConsentSubject): string {
  const canonical: Record<string, unknown> = {};
  for (const field of BOUND_FIELDS) {
    const value = subject[field];
    if (value === undefined) continue;
    canonical[field] = Array.isArray(value) ? [...new Set(value)].sort() : value;
  }
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Which bound fields differ between a record and a new request, to say why we ask again. */
export function changedFields(
  record: ConsentSubject,
  request: ConsentSubject,
): Array<(typeof BOUND_FIELDS)[number]> {
  return BOUND_FIELDS.filter((field) => {
    const a = record[field];
    const b = request[field];
    if (Array.isArray(a) || Array.isArray(b)) {
      const sa = [...new Set(a ?? [])].sort().join(' ');
      const sb = [...new Set(b ?? [])].sort().join(' ');
      return sa !== sb;
    }
    return a !== b;
  });
}
