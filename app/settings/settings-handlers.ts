import type { Handlers } from '../contract/dispatch.js';
import type { LaunchAtLoginView, SettingsView } from '../contract/settings-contract.js';
import type { Services } from '../services.js';
import { SwitchboardError } from '../shared/errors.js';
import { chooseSecretStore, INSECURE_STORE_WARNING } from '../vault/open-secret-store.js';
import { switchSecretStore } from '../vault/switch-secret-store.js';
import { resolveClientMetadataUrl, setClientMetadataUrl } from './client-metadata-url.js';

type SettingsChannels =
  | 'settings.get'
  | 'settings.setSecretStore'
  | 'settings.setClientMetadataUrl'
  | 'settings.getLaunchAtLogin'
  | 'settings.setLaunchAtLogin';

/** Launch at login is the desktop shell's (Electron login items, or the XDG autostart entry). */
export interface LaunchAtLoginPort {
  get(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
}

/** What only the host process can do; the handlers report it unavailable when absent. */
export interface HostPorts {
  launchAtLogin?: LaunchAtLoginPort;
  /** Opens an (already validated) http(s) URL in the user's browser: shell.openExternal. */
  openExternal?: (url: string) => Promise<void>;
}

/** The warning names the reason the file store is on, so the user knows what to undo. */
export const INSECURE_SETTING_WARNING =
  'Secrets are stored in a plain file (chosen in Settings), not in the OS keychain. Anyone who can read your home folder can read them.';

export async function settingsView(services: Services): Promise<SettingsView> {
  const saved = await services.settings.read();
  const override = services.env.SWITCHBOARD_SECRET_STORE || undefined;
  // Throws a clear VALIDATION error for a bad SWITCHBOARD_SECRET_STORE value.
  const secretStore = chooseSecretStore(services.env, saved.secretStore);
  const metadata = await resolveClientMetadataUrl(services.dataDir, services.env);
  return {
    ...(metadata.url && { clientMetadataUrl: metadata.url }),
    ...(metadata.source === 'env' && { clientMetadataUrlOverride: true }),
    secretStore,
    ...(secretStore === 'file' && {
      insecureStoreWarning: override ? INSECURE_STORE_WARNING : INSECURE_SETTING_WARNING,
    }),
    ...(override && { secretStoreOverride: secretStore }),
  };
}

export function settingsHandlers(
  services: Services,
  ports: HostPorts = {},
): Pick<Handlers, SettingsChannels> {
  const login = ports.launchAtLogin;
  const launchAtLogin = async (): Promise<LaunchAtLoginView> =>
    login ? { available: true, enabled: await login.get() } : { available: false, enabled: false };
  return {
    'settings.get': () => settingsView(services),
    'settings.setSecretStore': async ({ store }) => {
      const { moved } = await switchSecretStore(services, store);
      return { moved, settings: await settingsView(services) };
    },
    'settings.setClientMetadataUrl': async ({ url }) => {
      await setClientMetadataUrl(services, url);
      return settingsView(services);
    },
    'settings.getLaunchAtLogin': launchAtLogin,
    'settings.setLaunchAtLogin': async ({ enabled }) => {
      if (!login) {
        throw new SwitchboardError(
          'REFUSED',
          'Launch at login can only be changed from the Switchboard desktop app.',
        );
      }
      await login.set(enabled);
      return launchAtLogin();
    },
  };
}
