import { describeJsonError } from '../shared/json-error.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Lockfile from 'proper-lockfile';
import type WriteFileAtomic from 'write-file-atomic';
import { SwitchboardError } from '../shared/errors.js';

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
}

// Only writers need these; readers (every bridge) skip loading them.
let writeModules: Promise<[typeof Lockfile, typeof WriteFileAtomic]> | undefined;
const loadWriteModules = () =>
  (writeModules ??= Promise.all([
    import('proper-lockfile').then((m) => m.default),
    import('write-file-atomic').then((m) => m.default),
  ]));

type Versioned = { version: number };

/** Bounded lock wait: 200 tries × ≤ 100 ms ≈ 15 s before a clear LOCKED error. */
const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 200, minTimeout: 10, maxTimeout: 100, factor: 1.2, randomize: true },
} as const;

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
      text = await fs.readFile(this.opts.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.opts.empty();
      throw error;
    }
    return this.parse(text);
  }

  /** Read-modify-write under the cross-process lock. `fn` returns the next document. */
  async update<R>(
    fn: (current: T) => Promise<{ next: T; result: R }> | { next: T; result: R },
  ): Promise<R> {
    await fs.mkdir(path.dirname(this.opts.path), { recursive: true, mode: 0o700 });
    const [lockfile, writeFileAtomic] = await loadWriteModules();
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lockfile.lock(this.opts.path, LOCK_OPTIONS);
    } catch (error) {
      throw new SwitchboardError(
        'LOCKED',
        `Another Switchboard process holds the lock on ${this.opts.path}; try again in a moment.`,
        { path: this.opts.path, cause: (error as Error).message },
      );
    }
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

function describeIssue(issues: { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  return first ? `${first.path.map(String).join('.') || '(root)'}: ${first.message}` : 'invalid';
}
