import { z } from 'zod';

const Ref = z.string().min(1).max(200);

/** A provisioned project's endpoint: which one, and why (never a secret). */
export const EndpointStatusSchema = z.strictObject({
  projectId: z.string(),
  projectName: z.string(),
  kind: z.enum(['per-tenant', 'shared', 'override']),
  url: z.string(),
  reason: z.string(),
  controlPlane: z.string().optional(),
  vendor: z.string().optional(),
  keyFingerprint: z.string().optional(),
  funcId: z.string().optional(),
  updatedAt: z.string().optional(),
  consent: z
    .strictObject({ id: z.string(), grantedAt: z.string(), source: z.enum(['window', 'cli']) })
    .optional(),
});
export type EndpointStatusDto = z.infer<typeof EndpointStatusSchema>;

/** The facts and the words of the full-scope consent dialog. */
export const ProvisioningConsentRequestSchema = z.strictObject({
  projectId: z.string(),
  projectName: z.string(),
  vendor: z.string(),
  controlPlane: z.string(),
  sharedUrl: z.string(),
  keyFingerprint: z.string(),
  status: z.enum(['granted', 'needed']),
  changed: z.array(z.string()),
  text: z.strictObject({
    title: z.string(),
    risk: z.string(),
    gain: z.string(),
    decline: z.string(),
    undo: z.string(),
  }),
});
export type ProvisioningConsentRequestDto = z.infer<typeof ProvisioningConsentRequestSchema>;

export const ProvisioningProgressSchema = z.strictObject({
  projectId: z.string(),
  stage: z.enum(['secret-lookup', 'secret-create', 'deploy', 'waiting', 'ready']),
  polls: z.number().optional(),
  elapsedMs: z.number(),
  deadlineMs: z.number(),
  /** A sentence for the progress line. */
  message: z.string(),
});
export type ProvisioningProgressDto = z.infer<typeof ProvisioningProgressSchema>;

export const ProvisioningPresetSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  vendor: z.string(),
  url: z.string(),
  auth: z.literal('provisioned'),
  provisioning: z.strictObject({ controlPlane: z.string(), vendor: z.string() }),
});
export type ProvisioningPresetDto = z.infer<typeof ProvisioningPresetSchema>;

export const provisioningContract = {
  /** Vendor presets the add-project flow offers. */
  'provisioning.presets': { input: z.undefined(), output: z.array(ProvisioningPresetSchema) },
  'provisioning.status': { input: z.strictObject({ ref: Ref }), output: EndpointStatusSchema },
  /** Every provisioned project's endpoint kind (the tray reads this). */
  'provisioning.statusAll': { input: z.undefined(), output: z.array(EndpointStatusSchema) },
  'provisioning.consentRequest': {
    input: z.strictObject({ ref: Ref }),
    output: ProvisioningConsentRequestSchema,
  },
  /** `consent: true` = the user just ticked "I understand" and pressed the button. */
  'provisioning.provision': {
    input: z.strictObject({ ref: Ref, consent: z.boolean(), reset: z.boolean().optional() }),
    output: EndpointStatusSchema,
  },
  'provisioning.cancel': {
    input: z.strictObject({ ref: Ref }),
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  'provisioning.reset': { input: z.strictObject({ ref: Ref }), output: EndpointStatusSchema },
  /** After a withdrawal: delete the vendor-side function and secret (second confirmation). */
  'provisioning.deleteRemote': {
    input: z.strictObject({ ref: Ref }),
    output: z.strictObject({ deleted: z.literal(true) }),
  },
} as const;

export const provisioningEvents = {
  'provisioning.progress': ProvisioningProgressSchema,
  /** Endpoint states changed (a consent, a provisioning, a bridge re-provisioning…). */
  'provisioning.changed': z.array(EndpointStatusSchema),
} as const;
