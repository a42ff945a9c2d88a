import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SwitchboardError } from '../shared/errors.js';
import { BOM } from './config-doc.js';

/** A client config as read from disk: exact bytes, the text without BOM, and facts we keep. */
export interface ConfigSnapshot {
  path: string;
  /** Where writes go: a symlinked config (dotfile managers) is written through, not replaced. */
  realPath: string;
  exists: boolean;
  bytes: Buffer;
  bom: boolean;
  text: string;
  mode: number | undefined;
  sha256: string;
}

export function sha256(bytes: Buffer | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export async function readConfigFile(file: string): Promise<ConfigSnapshot> {
  let realPath: string;
  let bytes: Buffer;
  let mode: number | undefined;
  // A dangling symlink (a dotfile manager's link whose target is not there yet) is kept: the
  // write goes to its target, and an uninstall that removes that file leaves the link as it was.
  const dangling = await danglingLinkTarget(file);
  try {
    realPath = await fs.realpath(file);
    bytes = await fs.readFile(realPath);
    mode = (await fs.stat(realPath)).mode & 0o7777;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new SwitchboardError(
        'REFUSED',
        `Cannot read ${file} (${code ?? (error as Error).message}); check its permissions.`,
        { path: file },
      );
    }
    const empty = Buffer.alloc(0);
    return {
      path: file,
      realPath: dangling ?? file,
      exists: false,
      bytes: empty,
      bom: false,
      text: '',
      mode: undefined,
      sha256: sha256(empty),
    };
  }
  const decoded = bytes.toString('utf8');
  const bom = decoded.startsWith(BOM);
  return {
    path: file,
    realPath,
    exists: true,
    bytes,
    bom,
    text: bom ? decoded.slice(1) : decoded,
    mode,
    sha256: sha256(bytes),
  };
}

/** Where a symlink at `file` points when that target does not exist; undefined otherwise. */
async function danglingLinkTarget(file: string): Promise<string | undefined> {
  try {
    const st = await fs.lstat(file);
    if (!st.isSymbolicLink()) return undefined;
    let target = path.resolve(path.dirname(file), await fs.readlink(file));
    // Follow a chain of links to its last, missing, element (bounded).
    for (let i = 0; i < 32; i++) {
      const next = await fs.lstat(target).catch(() => undefined);
      if (!next) return target;
      if (!next.isSymbolicLink()) return undefined;
      target = path.resolve(path.dirname(target), await fs.readlink(target));
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The bytes for new text, with the original BOM put back. */
export function encodeLike(snapshot: ConfigSnapshot, text: string): Buffer {
  return Buffer.from((snapshot.bom ? BOM : '') + text, 'utf8');
}

/**
 * Refuses early when the file or its directory is not writable: a rename would otherwise
 * replace a read-only file, which is not what its owner asked for.
 */
export async function assertWritable(snapshot: ConfigSnapshot): Promise<void> {
  const target = snapshot.exists ? snapshot.realPath : await nearestExistingDir(snapshot.realPath);
  try {
    // Mode bits too: root passes access(W_OK) on a file its owner made read-only.
    if (snapshot.exists && snapshot.mode !== undefined && (snapshot.mode & 0o222) === 0) {
      throw new Error('read-only');
    }
    await fs.access(target, fs.constants.W_OK);
    if (snapshot.exists) await fs.access(path.dirname(snapshot.realPath), fs.constants.W_OK);
  } catch {
    throw new SwitchboardError(
      'REFUSED',
      `${target} is read-only; Switchboard changed nothing. Make it writable (or edit it by hand) and try again.`,
      { path: snapshot.path },
    );
  }
}

async function nearestExistingDir(file: string): Promise<string> {
  let dir = path.dirname(file);
  for (;;) {
    try {
      await fs.access(dir);
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return dir;
      dir = parent;
    }
  }
}

/** Directories `mkdir -p` would create for this file, outermost first. */
export async function missingDirs(file: string): Promise<string[]> {
  const missing: string[] = [];
  let dir = path.dirname(file);
  for (;;) {
    try {
      await fs.access(dir);
      break;
    } catch {
      missing.unshift(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return missing;
}

/** Atomic replace (temp file + rename), keeping the existing file's mode; new files get 0600. */
export async function writeConfigBytes(snapshot: ConfigSnapshot, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(snapshot.realPath), { recursive: true, mode: 0o700 });
  await removeStaleTempFiles(path.dirname(snapshot.realPath), path.basename(snapshot.realPath));
  await writeAtomic(snapshot.realPath, bytes, snapshot.mode ?? 0o600);
}

/**
 * Temp file, fsync, rename. The temp name carries our pid (`.<name>.switchboard-<pid>.tmp`), so
 * one left by a process killed mid-write is recognised, and removed, by the next one.
 */
export async function writeAtomic(file: string, bytes: Buffer, mode: number): Promise<void> {
  const temp = path.join(path.dirname(file), `${TEMP_PREFIX(file)}${process.pid}.tmp`);
  const handle = await fs.open(temp, 'w', mode);
  try {
    await handle.writeFile(bytes);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

const TEMP_PREFIX = (file: string) => `.${path.basename(file)}.switchboard-`;

const TEMP_NAME = /^\.(.+)\.switchboard-(\d+)\.tmp$/;

/**
 * Removes temp files in `dir` (of the file named `base`, or of any) left by Switchboard
 * processes that no longer run.
 */
export async function removeStaleTempFiles(dir: string, base?: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || (base !== undefined && m[1] !== base)) continue;
    const pid = Number(m[2]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
