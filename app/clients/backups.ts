import fs from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTempFiles, sha256, writeAtomic } from './config-file.js';

export const BACKUPS_KEPT = 5;
export const MOVED_PLACEHOLDER = '<moved to the Switchboard keychain>';

/**
 * Copies of client configs taken before each change, in the data dir (0600, since they hold
 * whatever the original held). The newest BACKUPS_KEPT per config file are kept.
 */
export class Backups {
  constructor(readonly dir: string) {}

  private prefix(file: string): string {
    const base = path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_');
    return `${base}-${sha256(file).slice(0, 12)}-`;
  }

  async save(file: string, bytes: Buffer): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let target = path.join(this.dir, `${this.prefix(file)}${stamp}.bak`);
    for (let n = 1; await exists(target); n++) {
      target = path.join(this.dir, `${this.prefix(file)}${stamp}-${n}.bak`);
    }
    // Atomic: a backup cut short by a crash would be a bad thing to restore from.
    await writeAtomic(target, bytes, 0o600);
    await this.prune(file);
    return target;
  }

  async list(file: string): Promise<string[]> {
    const prefix = this.prefix(file);
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
      .sort()
      .map((n) => path.join(this.dir, n));
  }

  /**
   * Replaces secrets that were moved into the keychain in every backup of `file`, so a copy of
   * them does not outlive the fix in our data dir. The rest of each backup stays for undo.
   */
  async scrub(file: string, secrets: readonly string[]): Promise<number> {
    const values = secrets.filter((s) => s.length >= 4);
    let changed = 0;
    for (const backup of await this.list(file)) {
      const text = await fs.readFile(backup, 'utf8');
      let next = text;
      for (const v of values) next = next.split(v).join(MOVED_PLACEHOLDER);
      if (next !== text) {
        await writeAtomic(backup, Buffer.from(next), 0o600);
        changed++;
      }
    }
    return changed;
  }

  private async prune(file: string): Promise<void> {
    await removeStaleTempFiles(this.dir).catch(() => 0);
    const all = await this.list(file);
    for (const old of all.slice(0, Math.max(0, all.length - BACKUPS_KEPT))) {
      await fs.rm(old, { force: true });
    }
  }
}

/** Whether `file` exists (any access error, e.g. ENOENT or EACCES, counts as no). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
