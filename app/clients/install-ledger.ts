import path from 'node:path';
import { z } from 'zod';
import { JsonStore } from '../store/json-store.js';

/**
 * What each install changed, so uninstall can hand back the original bytes exactly when the
 * file is still what we wrote (and remove a file or folders we created).
 */
const RecordSchema = z.object({
  path: z.string(),
  name: z.string(),
  beforeSha256: z.string(),
  afterSha256: z.string(),
  /** Backup of the bytes before the install; absent when we created the file. */
  backup: z.string().optional(),
  createdDirs: z.array(z.string()),
  created: z.boolean(),
});
export type InstallRecord = z.infer<typeof RecordSchema>;

const LedgerSchema = z.object({ version: z.literal(1), installs: z.array(RecordSchema) });
type Ledger = z.infer<typeof LedgerSchema>;

export class InstallLedger {
  private readonly store: JsonStore<Ledger>;

  constructor(dir: string) {
    this.store = new JsonStore<Ledger>({
      path: path.join(dir, 'installs.json'),
      schema: LedgerSchema,
      version: 1,
      empty: () => ({ version: 1, installs: [] }),
    });
  }

  /** Throws (CORRUPT_STORE, NEWER_STORE) unless the ledger can be read and so updated. */
  async check(): Promise<void> {
    await this.store.read();
  }

  async find(file: string, name: string): Promise<InstallRecord | undefined> {
    return (await this.store.read()).installs.find((r) => r.path === file && r.name === name);
  }

  async put(record: InstallRecord): Promise<void> {
    await this.store.update((l) => ({
      next: {
        ...l,
        installs: [
          ...l.installs.filter((r) => !(r.path === record.path && r.name === record.name)),
          record,
        ],
      },
      result: undefined,
    }));
  }

  async drop(file: string, name: string): Promise<void> {
    await this.store.update((l) => ({
      next: { ...l, installs: l.installs.filter((r) => !(r.path === file && r.name === name)) },
      result: undefined,
    }));
  }
}
