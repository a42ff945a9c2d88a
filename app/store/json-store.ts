import { describeJsonError } from '../shared/json-error.js';
import { constants as fsConstants } from 'node:fs';
import * as fsc from '../platform/fs-callbacks.js';
import type * as FsPromises from 'node:fs/promises';
import { lazyModule } from '../platform/lazy-builtin.js';
import path from 'node:path';
import type Lockfile from 'proper-lockfile';
import type WriteFileAtomic from 'write-file-atomic';
import { SwitchboardError } from '../shared/errors.js';
import { acquireFileLock, fileSystemError } from './file-lock.js';

// Loaded on first use, off the bridge's start-up path (lazy-builtin.ts).
const fs = lazyModule<typeof FsPromises>('node:fs/promises');

/** What JsonStore needs of a schema; a zod schema is one, app/store/shape.ts makes light ones. */
export interface Validator<T> {
  safeParse(
    raw: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export interface JsonStoreOptions<T> {
  path: string;
  /** Schema of the whole document, including its `version` field. */
  schema: Validator<T>;
  version: number;
  empty: () => T;
  /** Refuse to read through a symbolic link (a secret file: someone could point it elsewhere). */
  noFollow?: boolean;
}

// Only writers need these; readers (every bridge) skip loading them.
let writeModules: Promise<[typeof Lockfile, typeof WriteFileAtomic]> | undefined;
const loadWriteModules = () =>
  (writeModules ??= Promise.all([
    import('proper-lockfile').then((m) => m.default),
    import('write-file-atomic').then((m) => m.default),
  ]));

type Versioned = { version: number };

/**
 * A small JSON document on disk: validated on read, versioned, written atomically (temp file +
 * rename, mode 0600), with writers in any process serialised by a lock file. A file that fails to
 * parse or validate is reported with its path and is never overwritten.
 */
export class JsonStore<T extends Versioned> {
  constructor(private readonly opts: JsonStoreOptions<T>) {}

  get path(): string {
    return this.opts.path;
  }

  async read(): Promise<T> {
    let text: string;
    try {
      text = await readText(this.opts.path, this.opts.noFollow === true);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return this.opts.empty();
      if (code === 'ELOOP') {
        throw new SwitchboardError(
          'REFUSED',
          `${this.opts.path} is a symbolic link; Switchboard reads it only as a regular file. Move the real file into its place.`,
          { path: this.opts.path },
        );
      }
      throw error;
    }
    return this.parse(text);
  }

  /** Read-modify-write under the cross-process lock. `fn` returns the next document. */
  async update<R>(
    fn: (current: T) => Promise<{ next: T; result: R }> | { next: T; result: R },
  ): Promise<R> {
    try {
      await fs.mkdir(path.dirname(this.opts.path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw fileSystemError(error, this.opts.path);
    }
    const [lockfile, writeFileAtomic] = await loadWriteModules();
    const release = await acquireFileLock(lockfile, this.opts.path, { what: this.opts.path });
    try {
      const current = await this.read();
      const { next, result } = await fn(current);
      const checked = this.opts.schema.safeParse(next);
      if (!checked.success) {
        throw new SwitchboardError(
          'INTERNAL',
          `Refusing to write ${this.opts.path}: the change does not match its format (${describeIssue(checked.error.issues)}); the file was left as it was.`,
          { path: this.opts.path },
        );
      }
      await writeFileAtomic(this.opts.path, JSON.stringify(checked.data, null, 2) + '\n', {
        mode: 0o600,
      }).catch((error: unknown) => {
        throw fileSystemError(error, this.opts.path);
      });
      return result;
    } finally {
      await release();
    }
  }

  private parse(text: string): T {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw this.corrupt(`it is not valid JSON (${describeJsonError(error)})`);
    }
    const version = (raw as Partial<Versioned> | null)?.version;
    if (typeof version === 'number' && version > this.opts.version) {
      throw new SwitchboardError(
        'NEWER_STORE',
        `${this.opts.path} was written by a newer Switchboard (format ${version}, this one reads ${this.opts.version}). Update Switchboard; the file was left untouched.`,
        { path: this.opts.path, version },
      );
    }
    const result = this.opts.schema.safeParse(raw);
    if (!result.success) {
      throw this.corrupt(
        `it does not match the expected format (${describeIssue(result.error.issues)})`,
      );
    }
    return result.data;
  }

  private corrupt(why: string): SwitchboardError {
    return new SwitchboardError(
      'CORRUPT_STORE',
      `Cannot read ${this.opts.path}: ${why}. Switchboard will not overwrite it; fix or move the file, then try again.`,
      { path: this.opts.path },
    );
  }
}

/**
 * The file's text; with `noFollow`, a symbolic link is refused (ELOOP). Not node:fs/promises:
 * every bridge reads its data files first thing (see fs-callbacks.ts).
 */
async function readText(file: string, noFollow: boolean): Promise<string> {
  const flags = noFollow ? fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW : fsConstants.O_RDONLY;
  const fd = await fsc.open(file, flags);
  try {
    // readFile(fd) reads a directory as '' (Linux): refuse it as reading it by path does.
    if ((await fsc.fstat(fd)).isDirectory()) throw isDirectoryError(file);
    return await fsc.readFile(fd, 'utf8');
  } finally {
    await fsc.close(fd).catch(() => undefined);
  }
}

function isDirectoryError(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), {
    code: 'EISDIR',
    syscall: 'read',
    path: file,
  });
}

function describeIssue(issues: { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  return first ? `${first.path.map(String).join('.') || '(root)'}: ${first.message}` : 'invalid';
}
