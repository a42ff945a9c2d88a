import { SwitchboardError } from '../shared/errors.js';
import { readSettings } from './settings-file.js';
import type { SettingsService } from './settings-service.js';

/** The environment variable that overrides the saved setting (CI, managed installs). */
export const CLIENT_METADATA_URL_ENV = 'SWITCHBOARD_OAUTH_CLIENT_METADATA_URL';

export interface ClientMetadataUrlView {
  /** The URL in force, if any: the environment variable, else the saved setting. */
  url?: string;
  /** Where it comes from; `env` locks the saved setting. */
  source?: 'env' | 'setting';
}

/**
 * The Client ID Metadata Document URL is the client_id itself, so it must be an https URL with
 * a path (draft-ietf-oauth-client-id-metadata-document §3) and no fragment or credentials.
 */
export function checkClientMetadataUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SwitchboardError(
      'VALIDATION',
      `"${raw}" is not a URL; give the https URL where your client metadata document is served.`,
    );
  }
  if (u.protocol !== 'https:' || u.pathname === '/' || u.hash || u.username || u.password) {
    throw new SwitchboardError(
      'VALIDATION',
      'The client metadata document URL must be https, name a path (e.g. https://example.com/switchboard.json), and carry no fragment or user name.',
    );
  }
  return u.href;
}

export async function resolveClientMetadataUrl(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ClientMetadataUrlView> {
  const fromEnv = env[CLIENT_METADATA_URL_ENV];
  if (fromEnv) return { url: fromEnv, source: 'env' };
  const saved = (await readSettings(dataDir)).oauthClientMetadataUrl;
  return saved ? { url: saved, source: 'setting' } : {};
}

/** Saves a checked URL, or clears the setting with `null`; refused while the env var rules. */
export async function setClientMetadataUrl(
  services: { settings: SettingsService; env: NodeJS.ProcessEnv },
  url: string | null,
): Promise<string | undefined> {
  if (services.env[CLIENT_METADATA_URL_ENV]) {
    throw new SwitchboardError(
      'REFUSED',
      `${CLIENT_METADATA_URL_ENV} is set in Switchboard's environment and overrides this setting; unset it to change the setting.`,
    );
  }
  const value = url === null || url.trim() === '' ? undefined : checkClientMetadataUrl(url.trim());
  await services.settings.update({ oauthClientMetadataUrl: value });
  return value;
}
