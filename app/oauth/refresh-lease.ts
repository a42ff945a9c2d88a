import type * as FsPromises from 'node:fs/promises';
import { lazyModule } from '../platform/lazy-builtin.js';
import path from 'node:path';

// Loaded on first use, off the bridge's start-up path (lazy-builtin.ts).
const fs = lazyModule<typeof FsPromises>('node:fs/promises');

/** A lease older than this is abandoned (its holder crashed mid-refresh) and may be taken over. */
export const LEASE_STALE_MS = 30_000;

export interface Lease {
  release(): Promise<void>;
}

const leasePath = (dataDir: string, projectId: string) =>
  path.join(dataDir, 'oauth-locks', `refresh-${projectId}.lease`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The cross-process refresh lease (many bridges of many clients share one project's tokens): an
 * exclusively created file in the data dir naming its holder. Resolves with the lease, or with
 * undefined when another live process holds it (the caller then waits for that refresh).
 */
export async function tryAcquireRefreshLease(
  dataDir: string,
  projectId: string,
): Promise<Lease | undefined> {
  const file = leasePath(dataDir, projectId);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
      await handle.close();
      return {
        release: () => fs.rm(file, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Held: by a live process (wait for it), or abandoned (take it over once).
    let holder: { pid?: number; at?: number } = {};
    try {
      holder = JSON.parse(await fs.readFile(file, 'utf8')) as typeof holder;
    } catch {
      // Being written right now, or gone: treat as held this round.
      return undefined;
    }
    const stale =
      typeof holder.at !== 'number' ||
      Date.now() - holder.at > LEASE_STALE_MS ||
      (typeof holder.pid === 'number' && !alive(holder.pid));
    if (!stale) return undefined;
    await fs.rm(file, { force: true });
  }
  return undefined;
}
