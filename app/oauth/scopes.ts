import { computeScopeUnion } from '@modelcontextprotocol/client';
import type { Discovered } from './discovery.js';

export type ScopeSource = 'challenge' | 'scopes_supported' | 'user' | 'granted';
export interface ScopeChoice {
  scope: string;
  source: ScopeSource;
}

/**
 * The spec's scope selection: the user's `--scope`, else the 401 challenge's `scope`, else all of
 * the PRM's `scopes_supported`, else none. On step-up the request is the union of what was
 * granted, what the 403 asked for and the above (SEP-2350). `offline_access` is added only when
 * the AS lists it (so a refresh token is issued where that is how the AS gates it).
 */
export function chooseScopes(
  d: Discovered,
  opts: { user?: string[]; granted?: string[]; needed?: string[] } = {},
): ScopeChoice[] {
  const base: ScopeChoice[] = opts.user?.length
    ? opts.user.map((scope) => ({ scope, source: 'user' }))
    : d.challenge?.scope
      ? split(d.challenge.scope).map((scope) => ({ scope, source: 'challenge' }))
      : (d.resourceMetadata?.scopes_supported ?? []).map((scope) => ({
          scope,
          source: 'scopes_supported',
        }));
  // Step-up: what was granted plus what the 403 asked for (plus the user's own additions) —
  // not every advertised scope again.
  const ordered: ScopeChoice[] = opts.needed?.length
    ? [
        ...(opts.granted ?? []).map((scope) => ({ scope, source: 'granted' as const })),
        ...opts.needed.map((scope) => ({ scope, source: 'challenge' as const })),
        ...(opts.user?.length ? base : []),
      ]
    : base;
  if (
    ordered.length > 0 &&
    d.metadata.scopes_supported?.includes('offline_access') &&
    !ordered.some((c) => c.scope === 'offline_access')
  ) {
    ordered.push({ scope: 'offline_access', source: 'scopes_supported' });
  }
  // First-seen order, one entry per scope (computeScopeUnion's rule), keeping the first source.
  const union = split(computeScopeUnion(...ordered.map((c) => c.scope)) ?? '');
  return union.map((scope) => ordered.find((c) => c.scope === scope) as ScopeChoice);
}

export function split(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

const ADMIN_LIKE = /(^|[:._/-])(admin|root|owner|superuser|full|all|\*)($|[:._/-])/i;

/** The consent dialog's "Full scope" badge: every advertised scope, or an admin-like one. */
export function fullScope(
  requested: string[],
  supported: string[],
): { full: boolean; reason?: string } {
  const admin = requested.find((s) => ADMIN_LIKE.test(s));
  if (admin) return { full: true, reason: `includes the admin-like scope ${admin}` };
  const meaningful = supported.filter((s) => s !== 'offline_access');
  if (meaningful.length > 1 && meaningful.every((s) => requested.includes(s))) {
    return { full: true, reason: 'requests every scope the server advertises' };
  }
  return { full: false };
}
