import path from 'node:path';
import { z } from 'zod';
import { JsonStore } from '../store/json-store.js';

export const SettingsSchema = z.object({
  version: z.literal(1),
  /** `file` = the explicit insecure store; SWITCHBOARD_SECRET_STORE overrides it. */
  secretStore: z.enum(['keychain', 'file']).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export class SettingsService {
  readonly store: JsonStore<Settings>;

  constructor(dataDir: string) {
    this.store = new JsonStore<Settings>({
      path: path.join(dataDir, 'settings.json'),
      schema: SettingsSchema,
      version: 1,
      empty: () => ({ version: 1 }),
    });
  }

  read(): Promise<Settings> {
    return this.store.read();
  }

  update(patch: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    return this.store.update((s) => {
      const next = { ...s, ...patch };
      return { next, result: next };
    });
  }
}
