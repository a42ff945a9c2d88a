import { z } from 'zod';
import { ConsentRecordSchema } from '../consent/consent.js';

/** A consent record as windows see it (strict: nothing beyond the ledger's fields). */
export const ConsentViewSchema = z.strictObject({
  ...ConsentRecordSchema.shape,
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
