import { z } from 'zod';
import { AuthKindSchema } from '../projects/project.js';

/**
 * What the renderer sees of a project. Strict: an unexpected field (say, a secret) fails
 * output validation instead of reaching the UI.
 */
export const ProjectViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  url: z.string(),
  auth: AuthKindSchema,
  headers: z.record(z.string(), z.string()),
  secretHeaders: z.array(z.string()),
  /** Names of the query parameters kept in the keychain (never their values). */
  secretQuery: z.array(z.string()).optional(),
  connected: z.boolean(),
  issuer: z
    .strictObject({ kind: z.literal('gateway'), url: z.string(), project: z.string() })
    .optional(),
  provisioning: z
    .strictObject({
      controlPlane: z.string(),
      vendor: z.string().optional(),
      endpointOverride: z.string().optional(),
    })
    .optional(),
  auditFullPayloads: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProjectView = z.infer<typeof ProjectViewSchema>;

const Ref = z.string().min(1).max(200);
// Inputs are checked loosely here (shape) and precisely by the service (clear field messages).
const NewProjectInput = z.strictObject({
  name: z.string(),
  url: z.string(),
  auth: AuthKindSchema.optional(),
  displayName: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  secretHeaders: z.array(z.string()).optional(),
  provisioning: z
    .strictObject({
      controlPlane: z.string(),
      vendor: z.string().optional(),
      endpointOverride: z.string().optional(),
    })
    .optional(),
});
const PatchInput = z.strictObject({
  url: z.string().optional(),
  auth: AuthKindSchema.optional(),
  displayName: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  secretHeaders: z.array(z.string()).optional(),
  auditFullPayloads: z.boolean().optional(),
});

export const projectsContract = {
  'projects.list': { input: z.undefined(), output: z.array(ProjectViewSchema) },
  'projects.get': { input: z.strictObject({ ref: Ref }), output: ProjectViewSchema },
  'projects.add': { input: NewProjectInput, output: ProjectViewSchema },
  'projects.edit': {
    input: z.strictObject({ ref: Ref, patch: PatchInput }),
    output: ProjectViewSchema,
  },
  'projects.remove': { input: z.strictObject({ ref: Ref }), output: ProjectViewSchema },
  'projects.setConnected': {
    input: z.strictObject({ ref: Ref, connected: z.boolean() }),
    output: ProjectViewSchema,
  },
} as const;

export const projectsEvents = {
  'projects.changed': z.array(ProjectViewSchema),
} as const;
