import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
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
      realPath: file,
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
  await writeFileAtomic(snapshot.realPath, bytes, { mode: snapshot.mode ?? 0o600 });
}
