import fsp from 'node:fs/promises';
import path from 'node:path';
import { isSegmentFile } from './segment-files.js';

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_RETENTION_BYTES = 500 * 1024 * 1024;

export interface RetentionOptions {
  maxAgeDays?: number;
  maxTotalBytes?: number;
  now?: number;
  /** Segments written to this recently are live sessions and never removed for size (ms). */
  activeGraceMs?: number;
}

export interface RetentionResult {
  deleted: string[];
  freedBytes: number;
  keptBytes: number;
}

/**
 * Deletes segment files last written more than `maxAgeDays` ago, then the oldest segments until
 * the total fits `maxTotalBytes`. A segment still being written is kept for size (its session
 * is live); only whole files are removed, so no file is ever rewritten.
 */
export async function applyRetention(
  dir: string,
  opts: RetentionOptions = {},
): Promise<RetentionResult> {
  const now = opts.now ?? Date.now();
  const maxAge = (opts.maxAgeDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  const maxBytes = opts.maxTotalBytes ?? DEFAULT_RETENTION_BYTES;
  const grace = opts.activeGraceMs ?? 60_000;
  let names: string[];
  try {
    names = (await fsp.readdir(dir)).filter(isSegmentFile);
  } catch {
    return { deleted: [], freedBytes: 0, keptBytes: 0 };
  }
  const files: { name: string; size: number; mtime: number }[] = [];
  for (const name of names) {
    try {
      const st = await fsp.stat(path.join(dir, name));
      files.push({ name, size: st.size, mtime: st.mtimeMs });
    } catch {
      // Gone meanwhile.
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : 1));
  const deleted: string[] = [];
  let freed = 0;
  let total = files.reduce((s, f) => s + f.size, 0);
  const remove = async (f: { name: string; size: number }) => {
    try {
      await fsp.unlink(path.join(dir, f.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    deleted.push(f.name);
    freed += f.size;
    total -= f.size;
  };
  for (const f of files) {
    if (now - f.mtime > maxAge) await remove(f);
  }
  for (const f of files) {
    if (total <= maxBytes) break;
    if (deleted.includes(f.name) || now - f.mtime < grace) continue;
    await remove(f);
  }
  return { deleted, freedBytes: freed, keptBytes: total };
}
