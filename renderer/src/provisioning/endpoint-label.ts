import type { EndpointStatusDto } from '../../../app/contract/provisioning-contract';

export type EndpointLevel = 'ok' | 'warn' | 'off';

/** "Private (per-tenant)" / "Shared — no consent" / "Override — …": words and a level, never colour alone. */
export function endpointLabel(e: EndpointStatusDto): { level: EndpointLevel; label: string } {
  if (e.kind === 'per-tenant') return { level: 'ok', label: 'Private (per-tenant)' };
  if (e.kind === 'override') return { level: 'ok', label: 'Override (project URL override)' };
  const why = /^shared \((.*)\)$/.exec(e.reason)?.[1] ?? e.reason;
  return {
    level: why.startsWith('provisioning failed') ? 'warn' : 'off',
    label: `Shared — ${why}`,
  };
}
