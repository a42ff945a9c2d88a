import { z } from 'zod';
import type { JsonStore } from '../store/json-store.js';
import { SECRET_STORE_KINDS, settingsStore, type Settings } from './settings-file.js';

export type { Settings } from './settings-file.js';

export const SettingsSchema: z.ZodType<Settings> = z.object({
  version: z.literal(1),
  secretStore: z.enum(SECRET_STORE_KINDS).optional(),
  oauthClientMetadataUrl: z.string().optional(),
});

export class SettingsService {
  readonly store: JsonStore<Settings>;

  constructor(dataDir: string) {
    this.store = settingsStore(dataDir, SettingsSchema);
  }

  read(): Promise<Settings> {
    return this.store.read();
  }

  /** A key set to `undefined` in the patch is removed. */
  update(patch: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    return this.store.update((s) => {
      const next = { ...s, ...patch };
      for (const [k, v] of Object.entries(patch))
        if (v === undefined) delete next[k as keyof typeof patch];
      return { next, result: next };
    });
  }
}
