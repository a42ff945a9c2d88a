import type * as FsPromises from 'node:fs/promises';
import { lazyModule } from '../platform/lazy-builtin.js';
import path from 'node:path';
import { JsonStore } from '../store/json-store.js';
import { literal, object, recordOf, shapeValidator, str } from '../store/shape.js';
import type { SecretStore } from './secret-store.js';

// Loaded on first use, off the bridge's start-up path (lazy-builtin.ts).
const fs = lazyModule<typeof FsPromises>('node:fs/promises');

export const INSECURE_SECRETS_FILE = 'secrets.insecure.json';

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}
// The whole format, checked without zod: bridges read this file (see store/shape.ts).
const FileSchema = shapeValidator<SecretsFile>(
  object({ version: literal(1), secrets: recordOf(str) }),
);

/**
 * The explicit, visible insecure store (like `gh --insecure-storage`): a 0600 JSON file in the
 * data dir. Only used when the user chose it; the UI and CLI warn while it is on.
 */
export class InsecureFileStore implements SecretStore {
  readonly kind = 'file' as const;
  private readonly store: JsonStore<SecretsFile>;

  constructor(dataDir: string) {
    this.store = new JsonStore<SecretsFile>({
      path: path.join(dataDir, INSECURE_SECRETS_FILE),
      schema: FileSchema,
      version: 1,
      empty: () => ({ version: 1, secrets: {} }),
      noFollow: true,
    });
  }

  get path(): string {
    return this.store.path;
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.store.read()).secrets[account];
  }

  async set(account: string, value: string): Promise<void> {
    await this.store.update((f) => ({
      next: { ...f, secrets: { ...f.secrets, [account]: value } },
      result: undefined,
    }));
  }

  async delete(account: string): Promise<boolean> {
    return this.store.update((f) => {
      if (!(account in f.secrets)) return { next: f, result: false };
      const secrets = { ...f.secrets };
      delete secrets[account];
      return { next: { ...f, secrets }, result: true };
    });
  }

  /**
   * Deletes the file once it holds no secret (after they moved to the keychain), so no plaintext
   * store lingers. A file that still holds secrets, or cannot be read, is left alone.
   */
  async removeIfEmpty(): Promise<boolean> {
    const f = await this.store.read().catch(() => undefined);
    if (!f || Object.keys(f.secrets).length > 0) return false;
    await fs.rm(this.path, { force: true });
    return true;
  }
}
