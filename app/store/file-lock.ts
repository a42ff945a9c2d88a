import fs from 'node:fs';
import os from 'node:os';
import type Lockfile from 'proper-lockfile';
import { SwitchboardError } from '../shared/errors.js';

/** Bounded wait for a lock another live process holds: ≈ 15 s before a clear LOCKED error. */
const MAX_ATTEMPTS = 200;
const STALE_MS = 10_000;

export interface FileLockOptions {
  /** Where the lock directory goes (default `<file>.lock`). */
  lockfilePath?: string;
  /** The file the lock protects, for messages. */
  what: string;
}

/**
 * proper-lockfile's mkdir lock, with two things it lacks. A file-system error (read-only, no
 * permission, disk full) fails at once with its cause named, instead of being retried for 15 s
 * and reported as "another process holds the lock". And the holder's pid is written beside the
 * lock, so a lock left by a process that was killed (`kill -9`) is taken over as soon as its
 * holder is seen dead rather than after the 10 s staleness window.
 */
export async function acquireFileLock(
  lockfile: typeof Lockfile,
  file: string,
  opts: FileLockOptions,
): Promise<() => Promise<void>> {
  const lockPath = opts.lockfilePath ?? `${file}.lock`;
  const ownerPath = `${lockPath}.owner`;
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        stale: STALE_MS,
        retries: 0,
        ...(opts.lockfilePath ? { lockfilePath: opts.lockfilePath } : {}),
      });
      writeOwner(ownerPath);
      return async () => {
        fs.rmSync(ownerPath, { force: true });
        await release();
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw fileSystemError(error, opts.what);
      if (holderIsDead(ownerPath)) {
        fs.rmSync(lockPath, { recursive: true, force: true });
        fs.rmSync(ownerPath, { force: true });
        continue;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new SwitchboardError(
          'LOCKED',
          `Another Switchboard process holds the lock on ${opts.what}; try again in a moment.`,
          { path: opts.what },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(10 * 1.2 ** attempt, 100)));
    }
  }
}

function writeOwner(ownerPath: string): void {
  try {
    fs.writeFileSync(ownerPath, `${process.pid} ${os.hostname()}\n`, { mode: 0o600 });
  } catch {
    // Best effort: without it a dead holder is still detected by staleness.
  }
}

/** The recorded holder is a process on this machine that no longer exists. */
function holderIsDead(ownerPath: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(ownerPath, 'utf8');
  } catch {
    return false;
  }
  const [pidText, host] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || host !== os.hostname()) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Names the cause and the fix for an error that retrying cannot cure. */
export function fileSystemError(error: unknown, what: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const cause =
    code === 'EROFS'
      ? 'the file system is read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'you do not have permission to write there'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EDQUOT'
            ? 'your disk quota is used up'
            : undefined;
  if (!cause) return error as Error;
  return new SwitchboardError(
    'REFUSED',
    `Cannot write ${what}: ${cause} (${code}). Nothing was changed; fix that and try again.`,
    { path: what, errno: code },
  );
}
