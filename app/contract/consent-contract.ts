import { z } from 'zod';
/**
 * A consent record as windows see it (strict: nothing beyond the ledger's fields). Spelled out
 * rather than taken from app/consent/consent.ts, which needs node:crypto the renderer lacks.
 */
export const ConsentViewSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  serverUrl: z.string(),
  resource: z.string().optional(),
  issuer: z.string().optional(),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  keyFingerprint: z.string().optional(),
  controlPlane: z.string().optional(),
  vendorOrg: z.string().optional(),
  hash: z.string(),
  grantedAt: z.string(),
  source: z.enum(['window', 'cli']),
  appVersion: z.string(),
  /** One line on what it covers, e.g. "API key 1a2b… → https://api.vendor.com". */
  summary: z.string(),
});
export type ConsentViewDto = z.infer<typeof ConsentViewSchema>;

export const consentContract = {
  'consents.list': {
    input: z.strictObject({ project: z.string().optional() }).optional(),
    output: z.array(ConsentViewSchema),
  },
  /** Withdraws a consent; `deleteRemote` only after the window's second confirmation. */
  'consents.revoke': {
    input: z.strictObject({ id: z.string().min(1).max(100), deleteRemote: z.boolean().optional() }),
    output: ConsentViewSchema,
  },
} as const;

export const consentEvents = {
  'consents.changed': z.array(ConsentViewSchema),
} as const;
