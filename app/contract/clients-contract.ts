import { z } from 'zod';
import {
  CLIENT_IDS,
  FINDING_FIXES,
  FINDING_KINDS,
  MCP_REMOTE_GRANT_STATES,
  SCOPES,
} from '../clients/types.js';
import { OAuthConsentPreviewSchema } from './oauth-contract.js';

const ClientIdSchema = z.enum(CLIENT_IDS);
const ScopeSchema = z.enum(SCOPES);

export const ClientStatusSchema = z.strictObject({
  id: ClientIdSchema,
  displayName: z.string(),
  detected: z.boolean(),
  scopes: z.array(ScopeSchema),
  restartNote: z.string(),
  needsNote: z.string().optional(),
  configs: z.array(
    z.strictObject({
      scope: ScopeSchema,
      path: z.string(),
      exists: z.boolean(),
      error: z.string().optional(),
      installed: z.array(
        z.strictObject({
          name: z.string(),
          projectId: z.string(),
          projectName: z.string().optional(),
        }),
      ),
    }),
  ),
});
export type ClientStatusDto = z.infer<typeof ClientStatusSchema>;

/** A change to preview and confirm. The diff is redacted before it leaves the service. */
const planShape = {
  operation: z.enum(['install', 'uninstall', 'fix']),
  client: ClientIdSchema,
  clientName: z.string(),
  scope: ScopeSchema,
  path: z.string(),
  entryName: z.string(),
  projectId: z.string().optional(),
  diff: z.string(),
  changed: z.boolean(),
  createsFile: z.boolean(),
  removesFile: z.boolean(),
  beforeSha256: z.string(),
  restartNote: z.string(),
  needsNote: z.string().optional(),
};
export const ChangePlanSchema = z.strictObject(planShape);
export type ChangePlanDto = z.infer<typeof ChangePlanSchema>;
export const ChangeResultSchema = z.strictObject({
  ...planShape,
  backup: z.string().optional(),
  newProject: z.string().optional(),
  /** The new project signs in with OAuth (moved from mcp-remote) and needs a sign-in. */
  signIn: z.boolean().optional(),
});
export const FixPlanSchema = z.strictObject({
  ...planShape,
  newProject: z.string().optional(),
  signIn: z.boolean().optional(),
});
export type FixPlanDto = z.infer<typeof FixPlanSchema>;

export const FindingSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(FINDING_KINDS),
  client: ClientIdSchema.optional(),
  clientName: z.string(),
  scope: ScopeSchema,
  path: z.string(),
  entry: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  message: z.string(),
  fix: z.enum(FINDING_FIXES).optional(),
  /** mcp-remote's tokens file: its project, whether the grant is usable, whether imported. */
  grant: z
    .strictObject({
      project: z.string().optional(),
      state: z.enum(MCP_REMOTE_GRANT_STATES),
      imported: z.boolean(),
    })
    .optional(),
});
export type FindingDto = z.infer<typeof FindingSchema>;

export const McpRemoteImportPreviewSchema = z.strictObject({
  project: z.string(),
  consent: OAuthConsentPreviewSchema,
  state: z.enum(['valid', 'refreshable']),
  files: z.array(z.string()),
  /** sha256 of the files' bytes, sent back with the import so a changed file is refused. */
  fileSha256: z.string(),
  /** Set when mcp-remote recorded no issuer: the refresh token is left out, and why. */
  accessOnly: z.string().optional(),
});
export type McpRemoteImportPreviewDto = z.infer<typeof McpRemoteImportPreviewSchema>;

export const McpRemoteImportResultSchema = z.strictObject({
  project: z.string(),
  refreshed: z.boolean(),
  tools: z.number(),
  files: z.array(z.string()),
  accessOnly: z.string().optional(),
});
export type McpRemoteImportResultDto = z.infer<typeof McpRemoteImportResultSchema>;

const TargetInput = {
  client: ClientIdSchema,
  project: z.string().min(1).max(200),
  scope: ScopeSchema.optional(),
  dir: z.string().max(4096).optional(),
};

export const clientsContract = {
  'clients.list': { input: z.undefined(), output: z.array(ClientStatusSchema) },
  'clients.preview': {
    input: z.strictObject({ ...TargetInput, operation: z.enum(['install', 'uninstall']) }),
    output: ChangePlanSchema,
  },
  /** `expectSha256` is the preview's `beforeSha256`: a file changed since the preview is refused. */
  'clients.install': {
    input: z.strictObject({ ...TargetInput, expectSha256: z.string() }),
    output: ChangeResultSchema,
  },
  'clients.uninstall': {
    input: z.strictObject({ ...TargetInput, expectSha256: z.string() }),
    output: ChangeResultSchema,
  },
  'doctor.findings': { input: z.undefined(), output: z.array(FindingSchema) },
  'doctor.preview': { input: z.strictObject({ id: z.string() }), output: FixPlanSchema },
  'doctor.fix': { input: z.strictObject({ id: z.string() }), output: ChangeResultSchema },
  /** The consent an import of mcp-remote's grant asks (the same facts as a sign-in). */
  'doctor.importPreview': {
    input: z.strictObject({ id: z.string() }),
    output: McpRemoteImportPreviewSchema,
  },
  /**
   * Consent was given in the dialog: import, verify by a call, or roll back and say why. `expect`
   * is what the dialog showed; the import is refused if any of it differs now.
   */
  'doctor.importGrant': {
    input: z.strictObject({
      id: z.string(),
      expect: z.strictObject({
        issuer: z.string(),
        clientId: z.string(),
        scopes: z.array(z.string()),
        fileSha256: z.string(),
      }),
    }),
    output: McpRemoteImportResultSchema,
  },
  /** Deletes mcp-remote's plaintext files of a grant that was imported and verified. */
  'doctor.deletePlaintext': {
    input: z.strictObject({ id: z.string() }),
    output: z.strictObject({ deleted: z.array(z.string()) }),
  },
} as const;
