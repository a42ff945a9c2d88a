import type * as FsPromises from 'node:fs/promises';
import { lazyModule } from '../platform/lazy-builtin.js';
import path from 'node:path';

// Loaded on first use, off the bridge's start-up path (lazy-builtin.ts).
const fs = lazyModule<typeof FsPromises>('node:fs/promises');

const LEASE_FILE = 'provisioning.lease';

/**
 * One provisioning at a time across processes (the app, the CLI, every bridge of every client):
 * each completed deploy hands out a new shared secret, so two racing deploys would leave one
 * process with a secret that no longer works. Waits for the holder at most `waitMs`; resolves
 * with a release function, or undefined when the wait ran out (the caller then uses the shared
 * URL rather than racing).
 */
export async function acquireProvisionLease(
  dataDir: string,
  waitMs: number,
): Promise<(() => Promise<void>) | undefined> {
  const { default: lockfile } = await import('proper-lockfile');
  const target = path.join(dataDir, LEASE_FILE);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  // A lease lives a little longer than the longest provisioning (20 s) before it counts as stale.
  const retries = Math.max(1, Math.ceil(waitMs / 200));
  try {
    return await lockfile.lock(target, {
      realpath: false,
      stale: 25_000,
      retries: { retries, minTimeout: 200, maxTimeout: 200, factor: 1 },
    });
  } catch {
    return undefined;
  }
}
