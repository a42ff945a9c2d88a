/**
 * The 2026-07-28 protocol revision as the bridge needs it: the reserved `_meta` keys, which
 * versions are modern, and what counts as a modern answer to a `server/discover` probe (the
 * spec's rule: only a `DiscoverResult`, or -32022 naming supported versions, is evidence).
 */
import type { Message } from '../protocol.js';

export const MODERN_VERSION = '2026-07-28';
/** The 2025 revisions a legacy client may ask for; the newest is what the bridge offers. */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

export const UNSUPPORTED_PROTOCOL_VERSION = -32022;
export const METHOD_NOT_FOUND = -32601;

export type Era = 'legacy' | 'modern';

export interface DiscoverResult {
  supportedVersions: string[];
  capabilities: Record<string, unknown>;
  instructions?: string;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Revision dates compare as strings; 2026-07-28 and later are stateless. */
export function isModernVersion(version: unknown): version is string {
  return (
    typeof version === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_VERSION
  );
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a probe's answer says about the server: `modern` only for a DiscoverResult offering a
 * version we speak, or a -32022 whose `data.supported` offers one; anything else is legacy.
 */
export function eraOfProbeAnswer(answer: Message | undefined): Era {
  if (!answer) return 'legacy';
  if ('result' in answer) {
    const r = answer.result as unknown;
    return isDiscoverResult(r) && r.supportedVersions.includes(MODERN_VERSION)
      ? 'modern'
      : 'legacy';
  }
  if ('error' in answer) return eraOfError(answer.error);
  return 'legacy';
}

export function eraOfError(error: unknown): Era {
  if (!isObj(error) || error.code !== UNSUPPORTED_PROTOCOL_VERSION) return 'legacy';
  const supported = isObj(error.data) ? error.data.supported : undefined;
  return Array.isArray(supported) && supported.includes(MODERN_VERSION) ? 'modern' : 'legacy';
}

/** A JSON-RPC error object inside an HTTP error body (a 400 answer to a modern request). */
export function errorInBody(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isObj(parsed) && isObj(parsed.error) ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

export function isDiscoverResult(r: unknown): r is DiscoverResult {
  return (
    isObj(r) &&
    Array.isArray(r.supportedVersions) &&
    r.supportedVersions.every((v) => typeof v === 'string') &&
    isObj(r.capabilities)
  );
}

/** The request's `params._meta` protocol version claim, if any. */
export function metaVersion(m: Message): unknown {
  const params = (m as { params?: unknown }).params;
  if (!isObj(params) || !isObj(params._meta)) return undefined;
  return params._meta[META.protocolVersion];
}
