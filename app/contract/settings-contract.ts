import { z } from 'zod';

const SecretStoreKindSchema = z.enum(['keychain', 'file']);

export const SettingsViewSchema = z.strictObject({
  /** The store in force: SWITCHBOARD_SECRET_STORE, else the saved choice, else the keychain. */
  secretStore: SecretStoreKindSchema,
  /** Present while secrets sit in the plain-file store; the main window shows it as a banner. */
  insecureStoreWarning: z.string().optional(),
  /** SWITCHBOARD_SECRET_STORE's value when set: it overrides the saved choice, which is locked. */
  secretStoreOverride: SecretStoreKindSchema.optional(),
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
  'settings.getLaunchAtLogin': { input: z.undefined(), output: LaunchAtLoginSchema },
  'settings.setLaunchAtLogin': {
    input: z.strictObject({ enabled: z.boolean() }),
    output: LaunchAtLoginSchema,
  },
} as const;
