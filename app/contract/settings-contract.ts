import { z } from 'zod';

const SecretStoreKindSchema = z.enum(['keychain', 'file']);

export const SettingsViewSchema = z.strictObject({
  /** The store in force: SWITCHBOARD_SECRET_STORE, else the saved choice, else the keychain. */
  secretStore: SecretStoreKindSchema,
  /** Present while secrets sit in the plain-file store; the main window shows it as a banner. */
  insecureStoreWarning: z.string().optional(),
  /** SWITCHBOARD_SECRET_STORE's value when set: it overrides the saved choice, which is locked. */
  secretStoreOverride: SecretStoreKindSchema.optional(),
  /** The OAuth Client ID Metadata Document URL in force (env var, else the saved setting). */
  clientMetadataUrl: z.string().optional(),
  /** True when SWITCHBOARD_OAUTH_CLIENT_METADATA_URL is set: it overrides the saved setting. */
  clientMetadataUrlOverride: z.boolean().optional(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const LaunchAtLoginSchema = z.strictObject({
  /** False where nothing can manage it (handlers built without the desktop shell's port). */
  available: z.boolean(),
  enabled: z.boolean(),
});
export type LaunchAtLoginView = z.infer<typeof LaunchAtLoginSchema>;

export const settingsContract = {
  'settings.get': { input: z.undefined(), output: SettingsViewSchema },
  /** Moves every stored secret to the chosen store, then saves the choice. */
  'settings.setSecretStore': {
    input: z.strictObject({ store: SecretStoreKindSchema }),
    output: z.strictObject({
      moved: z.number().int().nonnegative(),
      settings: SettingsViewSchema,
    }),
  },
  /** Saves (or, with null, clears) the client metadata document URL; https with a path. */
  'settings.setClientMetadataUrl': {
    input: z.strictObject({ url: z.string().max(2000).nullable() }),
    output: SettingsViewSchema,
  },
  'settings.getLaunchAtLogin': { input: z.undefined(), output: LaunchAtLoginSchema },
  'settings.setLaunchAtLogin': {
    input: z.strictObject({ enabled: z.boolean() }),
    output: LaunchAtLoginSchema,
  },
} as const;
