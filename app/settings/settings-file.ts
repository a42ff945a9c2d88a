import path from 'node:path';
import { JsonStore, type Validator } from '../store/json-store.js';
import { literal, object, oneOf, optional, shapeValidator, str } from '../store/shape.js';

// zod-free on purpose: the bridge reads settings.json through this module (see store/shape.ts).

export const SETTINGS_FILE = 'settings.json';
export const SECRET_STORE_KINDS = ['keychain', 'file'] as const;

export interface Settings {
  version: 1;
  /** `file` = the explicit insecure store; SWITCHBOARD_SECRET_STORE overrides it. */
  secretStore?: (typeof SECRET_STORE_KINDS)[number];
  /** Switchboard's Client ID Metadata Document URL; SWITCHBOARD_OAUTH_CLIENT_METADATA_URL overrides it. */
  oauthClientMetadataUrl?: string;
}

export function settingsStore(dataDir: string, schema: Validator<Settings>): JsonStore<Settings> {
  return new JsonStore<Settings>({
    path: path.join(dataDir, SETTINGS_FILE),
    schema,
    version: 1,
    empty: () => ({ version: 1 }),
  });
}

/** Read-only settings without zod; the zod SettingsSchema checks every write. */
export function readSettings(dataDir: string): Promise<Settings> {
  return settingsStore(
    dataDir,
    shapeValidator<Settings>(
      object({
        version: literal(1),
        secretStore: optional(oneOf(SECRET_STORE_KINDS)),
        oauthClientMetadataUrl: optional(str),
      }),
    ),
  ).read();
}
