import { SwitchboardError } from '../shared/errors.js';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store.js';

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- a lazy import needs the module's type
type KeyringModule = typeof import('@napi-rs/keyring');
let keyring: Promise<KeyringModule> | undefined;

// Loaded lazily so the native module is only opened by processes that need a secret.
function loadKeyring(): Promise<KeyringModule> {
  keyring ??= import('@napi-rs/keyring');
  return keyring;
}

/** Explains what is missing and how to fix it, per platform. */
export function keychainUnavailable(cause: unknown): SwitchboardError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const fix =
    process.platform === 'linux'
      ? 'Switchboard needs a Secret Service (GNOME Keyring or KWallet) running and unlocked in your session ' +
        '(Debian/Ubuntu: `sudo apt-get install gnome-keyring`, then log in again). ' +
        (process.env.DBUS_SESSION_BUS_ADDRESS
          ? ''
          : 'No D-Bus session bus was found (DBUS_SESSION_BUS_ADDRESS is not set and there is no /run/user/<uid>/bus); if your MCP client strips the environment, let it pass DBUS_SESSION_BUS_ADDRESS through. ') +
        'On a headless machine you can opt into an insecure file store with SWITCHBOARD_SECRET_STORE=file.'
      : process.platform === 'darwin'
        ? 'Unlock your login keychain (Keychain Access) and try again.'
        : 'Check that Windows Credential Manager is available for your account.';
  return new SwitchboardError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is not usable (${detail}). ${fix}`,
  );
}

/**
 * Secrets in the OS keychain: service "Switchboard", one account per secret. On Linux the entry
 * is pinned to the Secret Service: the library's default falls back silently to the kernel
 * keyring, which forgets everything at reboot.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;

  private async entry(account: string) {
    const { AsyncEntry } = await loadKeyring();
    return new AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
  }

  async get(account: string): Promise<string | undefined> {
    try {
      const value = await (await this.entry(account)).getPassword();
      return value ?? undefined;
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async set(account: string, value: string): Promise<void> {
    try {
      await (await this.entry(account)).setPassword(value);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await (await this.entry(account)).deleteCredential();
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }
}
