import { readSettings } from '../settings/settings-file.js';
import { SwitchboardError } from '../shared/errors.js';
import { InsecureFileStore } from './file-store.js';
import { KeychainStore } from './keychain-store.js';
import type { SecretStore } from './secret-store.js';

export type SecretStoreKind = 'keychain' | 'file';

/** SWITCHBOARD_SECRET_STORE wins over the saved setting; the default is the OS keychain. */
export function chooseSecretStore(
  env: NodeJS.ProcessEnv,
  setting?: SecretStoreKind,
): SecretStoreKind {
  const fromEnv = env.SWITCHBOARD_SECRET_STORE;
  if (fromEnv === undefined || fromEnv === '') return setting ?? 'keychain';
  if (fromEnv === 'keychain' || fromEnv === 'file') return fromEnv;
  throw new SwitchboardError(
    'VALIDATION',
    `SWITCHBOARD_SECRET_STORE must be "keychain" or "file" (got "${fromEnv}").`,
  );
}

export function openSecretStore(dataDir: string, kind: SecretStoreKind): SecretStore {
  return kind === 'file' ? new InsecureFileStore(dataDir) : new KeychainStore();
}

export const INSECURE_STORE_WARNING =
  'Secrets are stored in a plain file (SWITCHBOARD_SECRET_STORE=file), not in the OS keychain. Anyone who can read your home folder can read them.';

/** The store chosen by SWITCHBOARD_SECRET_STORE, else the saved setting, else the keychain. */
export async function configuredSecretStoreKind(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<SecretStoreKind> {
  const settings = await readSettings(dataDir);
  return chooseSecretStore(env, settings.secretStore);
}

export async function openConfiguredSecretStore(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<SecretStore> {
  return openSecretStore(dataDir, await configuredSecretStoreKind(dataDir, env));
}
