import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';
import { ConsentViewSchema, type ConsentViewDto } from '../contract/consent-contract.js';
import type { ConsentRecord } from './consent.js';

/** What a consent covers, in a few words, for lists and questions (window and CLI). */
export function consentSummary(c: ConsentRecord): string {
  if (c.kind === 'full-scope-provisioning') {
    return `API key ${c.keyFingerprint ?? '?'} → ${c.controlPlane ?? c.serverUrl}`;
  }
  const scopes = c.scopes?.length ? ` (scopes ${c.scopes.join(' ')})` : '';
  return `${c.issuer ?? c.serverUrl}${scopes}`;
}

/**
 * What a window sees of a record: the fields its contract names (a field the ledger gains later
 * is left out rather than failing the strict output check), plus a summary line.
 */
export function consentView(c: ConsentRecord): ConsentViewDto {
  const known = Object.keys(ConsentViewSchema.shape).filter((k) => k !== 'summary');
  const picked = Object.fromEntries(
    known
      .filter((k) => (c as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, (c as Record<string, unknown>)[k]]),
  );
  return { ...(picked as Omit<ConsentViewDto, 'summary'>), summary: consentSummary(c) };
}

/** Settings → Consents and the project's consents: list every kind, withdraw one. */
export function consentHandlers(
  services: Services,
): Pick<Handlers, 'consents.list' | 'consents.revoke'> {
  const { consents } = services;
  return {
    'consents.list': async (input) => {
      const project = input?.project ? await services.projects.get(input.project) : undefined;
      const list = project ? await consents.forProject(project.id) : await consents.list();
      return list.map(consentView);
    },
    'consents.revoke': async ({ id, deleteRemote }) =>
      consentView(
        await consents.revoke(id, { source: 'window', ...(deleteRemote ? { deleteRemote } : {}) }),
      ),
  };
}
