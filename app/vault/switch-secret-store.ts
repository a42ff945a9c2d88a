import type { Services } from '../services.js';
import { SwitchboardError } from '../shared/errors.js';
import { InsecureFileStore } from './file-store.js';
import {
  configuredSecretStoreKind,
  openSecretStore,
  type SecretStoreKind,
} from './open-secret-store.js';

/**
 * Moves every stored secret to the other store, then saves the choice. Copy first, switch,
 * then delete from the old store: an interruption leaves a copy in both, never in neither.
 */
export async function switchSecretStore(
  services: Services,
  to: SecretStoreKind,
): Promise<{ moved: number }> {
  if (services.env.SWITCHBOARD_SECRET_STORE) {
    throw new SwitchboardError(
      'CONFLICT',
      `SWITCHBOARD_SECRET_STORE=${services.env.SWITCHBOARD_SECRET_STORE} is set and overrides the setting; unset it first.`,
    );
  }
  const from = await configuredSecretStoreKind(services.dataDir, services.env);
  if (from === to) return { moved: 0 };
  const source = openSecretStore(services.dataDir, from);
  const target = openSecretStore(services.dataDir, to);
  const records = (await services.tokens.store.read()).tokens.filter((t) => !t.revokedAt);
  let moved = 0;
  for (const r of records) {
    const value = await source.get(r.id);
    if (value === undefined) continue;
    await target.set(r.id, value);
    moved++;
  }
  await services.settings.update({ secretStore: to });
  for (const r of records) await source.delete(r.id).catch(() => false);
  if (source instanceof InsecureFileStore) await source.removeIfEmpty();
  return { moved };
}
