import {
  configuredSecretStoreKind,
  INSECURE_STORE_WARNING,
} from '../../vault/open-secret-store.js';
import type { CliContext } from '../main.js';

/** The insecure file store is visible: every command that stores a secret says so on stderr. */
export async function warnIfInsecureStore(ctx: CliContext): Promise<void> {
  const s = ctx.services();
  if ((await configuredSecretStoreKind(s.dataDir, s.env)) === 'file') {
    ctx.io.stderr(`warning: ${INSECURE_STORE_WARNING}\n`);
  }
}
