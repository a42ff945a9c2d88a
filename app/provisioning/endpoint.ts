/**
 * Which endpoint a provisioned project talks to, and why. The reason is kept and shown
 * everywhere (project detail, `project show`, the tray), so a fallback is never silent.
 */
export type EndpointKind = 'per-tenant' | 'shared' | 'override';

export interface EndpointChoice {
  kind: EndpointKind;
  /** The MCP endpoint the bridge connects to. */
  url: string;
  /** `per-tenant`, `shared (no consent)`, `shared (provisioning failed: …)`, … */
  reason: string;
}

/** An endpoint with the bearer that belongs to it (never the other one). */
export interface ResolvedEndpoint extends EndpointChoice {
  bearer: string;
}

export const REASON_PER_TENANT = 'per-tenant';
export const REASON_NO_CONSENT = 'shared (no consent)';
export const REASON_NOT_PROVISIONED = 'shared (not provisioned yet)';
export const REASON_OVERRIDE = 'override (project URL override)';
export const REASON_NO_CONTROL_PLANE = 'shared (no control plane configured)';

export function failedReason(short: string): string {
  return `shared (provisioning failed: ${short})`;
}

/** https anywhere, plain http only to this machine (zod-free twin of EndpointUrlSchema's rule). */
export function isAllowedEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    url.protocol === 'http:' &&
    (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host))
  );
}
