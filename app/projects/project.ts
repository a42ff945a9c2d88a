import { z } from 'zod';
import { redactSecrets } from '../shared/redact.js';
import { PROJECTS_FILE_VERSION } from '../shared/file-versions.js';
import { secretQueryParams } from '../shared/query-secrets.js';

export const AUTH_KINDS = ['none', 'bearer', 'oauth', 'provisioned'] as const;
export const AuthKindSchema = z.enum(AUTH_KINDS);
export type AuthKind = z.infer<typeof AuthKindSchema>;

export const PROJECT_NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const ProjectNameSchema = z
  .string()
  .regex(
    PROJECT_NAME_RE,
    'A project name is 1–63 lowercase letters, digits or dashes, starting with a letter or digit (e.g. "acme-prod").',
  );

export const HeaderNameSchema = z.string().regex(HEADER_NAME_RE, 'Not a valid HTTP header name.');

/** Headers we manage ourselves; a user-configured one would fight the transport. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'content-type',
  'accept',
  'mcp-session-id',
  'mcp-protocol-version',
  'host',
  'content-length',
]);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** An MCP endpoint: https anywhere, plain http only to this machine. */
/** Error messages quote user input briefly and never verbatim secrets. */
function shorten(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export const EndpointUrlSchema = z
  .string()
  .max(2048, 'That URL is longer than 2048 characters.')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${shorten(redactSecrets(value))}" is not a URL; use e.g. https://mcp.example.com/mcp.`,
      });
      return;
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:') {
      if (!isLoopbackHost(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          message: `Plain http is allowed only for this machine (localhost, 127.0.0.1, ::1); use https for ${url.hostname}.`,
        });
      }
      return;
    }
    ctx.addIssue({ code: 'custom', message: `Use an https:// URL (got ${url.protocol}).` });
  });

export const HeadersSchema = z.record(HeaderNameSchema, z.string()).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        message: `The ${name} header is set by Switchboard itself; ${name.toLowerCase() === 'authorization' ? 'store the token with `switchboard token add` instead' : 'remove it'}.`,
      });
    }
  }
});

/**
 * A project URL as given by the user (add, edit, the window, doctor): no credentials in it.
 * Userinfo would be sent as Basic auth and stored in projects.json; a secret-named query
 * parameter would be stored and printed. Both are refused with the way to add them properly.
 */
export const ProjectUrlInputSchema = EndpointUrlSchema.superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return; // EndpointUrlSchema reported it
  }
  if (url.username || url.password) {
    ctx.addIssue({
      code: 'custom',
      message:
        'The URL contains a user name or password; Switchboard keeps credentials in the keychain, never in URLs. Add the URL without it, then store the credential: switchboard token add <project> --token-stdin (a bearer token) or --kind secret-header --header <Name>.',
    });
  }
  const secret = secretQueryParams(url);
  if (secret.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `The URL's query holds a secret (${secret.join(', ')}); Switchboard keeps it in the keychain and adds it only when connecting. Add the URL without ${secret.length === 1 ? 'it' : 'them'}, then: ${secret.map((p) => `switchboard token add <project> --kind query-secret --param ${p} --token-stdin`).join('; ')}.`,
    });
  }
});

/** A token-issuing API that can mint project-scoped tokens for this project. */
export const IssuerSchema = z.object({
  kind: z.literal('gateway'),
  /** Base URL of the issuing API (https; http only for loopback). */
  url: EndpointUrlSchema,
  /** The server-side project the minted tokens are scoped to. */
  project: z.string().min(1).max(200),
});
export type Issuer = z.infer<typeof IssuerSchema>;

/**
 * Auth "provisioned": a vendor control plane that can deploy a per-tenant MCP function for the
 * user's API key (app/provisioning/). The project's `url` is the vendor's shared endpoint, used
 * whenever there is no per-tenant one; `endpointOverride` wins over both.
 */
export const ProvisioningSettingsSchema = z.object({
  /** Base URL of the edge-compute deploy API (https; http only for loopback). */
  controlPlane: EndpointUrlSchema,
  /** Display name of the vendor, e.g. from a preset. */
  vendor: z.string().min(1).max(100).optional(),
  endpointOverride: EndpointUrlSchema.optional(),
});
export type ProvisioningSettings = z.infer<typeof ProvisioningSettingsSchema>;

export const ProjectSchema = z.object({
  id: z.string().regex(/^prj_[a-z0-9]{10,}$/),
  name: ProjectNameSchema,
  displayName: z.string().min(1).max(200),
  url: EndpointUrlSchema,
  auth: AuthKindSchema,
  /** Non-secret extra headers sent with every request. */
  headers: HeadersSchema,
  /** Names of headers whose values live in the keychain. */
  secretHeaders: z.array(HeaderNameSchema),
  /** Names of query parameters whose values live in the keychain (added on the wire only). */
  secretQuery: z.array(z.string().min(1).max(100)).optional(),
  /** The kill switch: false = every bridge of this project refuses requests. */
  connected: z.boolean(),
  issuer: IssuerSchema.optional(),
  provisioning: ProvisioningSettingsSchema.optional(),
  /** Opt-in: audit whole (still redacted) payloads instead of 2 KB previews. */
  auditFullPayloads: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof ProjectSchema>;

export { PROJECTS_FILE_VERSION };
export const ProjectsFileSchema = z.object({
  version: z.literal(PROJECTS_FILE_VERSION),
  projects: z.array(ProjectSchema),
});
export type ProjectsFile = z.infer<typeof ProjectsFileSchema>;

export const NewProjectSchema = z.object({
  name: ProjectNameSchema,
  url: ProjectUrlInputSchema,
  auth: AuthKindSchema.default('none'),
  displayName: z.string().min(1).max(200).optional(),
  headers: HeadersSchema.default({}),
  secretHeaders: z.array(HeaderNameSchema).default([]),
  issuer: IssuerSchema.optional(),
  /** The user confirmed that secret-looking plain headers are not secrets. */
  allowPlainSecretHeaders: z.boolean().optional(),
  provisioning: ProvisioningSettingsSchema.optional(),
});
export type NewProject = z.input<typeof NewProjectSchema>;

export const ProjectPatchSchema = z.object({
  url: ProjectUrlInputSchema.optional(),
  auth: AuthKindSchema.optional(),
  displayName: z.string().min(1).max(200).optional(),
  headers: HeadersSchema.optional(),
  secretHeaders: z.array(HeaderNameSchema).optional(),
  secretQuery: z.array(z.string().min(1).max(100)).optional(),
  issuer: IssuerSchema.nullable().optional(),
  provisioning: ProvisioningSettingsSchema.optional(),
  auditFullPayloads: z.boolean().optional(),
  allowPlainSecretHeaders: z.boolean().optional(),
});
export type ProjectPatch = z.input<typeof ProjectPatchSchema>;
