import type * as FsPromises from 'node:fs/promises';
import { lazyModule } from '../../platform/lazy-builtin.js';
import path from 'node:path';
import { JsonStore } from '../../store/json-store.js';
import {
  literal,
  object,
  oneOf,
  optional,
  recordOf,
  shapeValidator,
  str,
} from '../../store/shape.js';
import type { DiscoverResult, Era } from './modern-wire.js';

// Loaded on first use, off the bridge's start-up path (lazy-builtin.ts).
const fs = lazyModule<typeof FsPromises>('node:fs/promises');

// zod-free on purpose: every bridge reads this at start (see store/shape.ts).

export const ERAS_FILE = 'eras.json';

export interface EraRecord {
  era: Era;
  /** ISO time of the probe that decided it. */
  checkedAt: string;
  /** A 2026-07-28 server's DiscoverResult, so a 2025 client's initialize needs no probe. */
  discover?: DiscoverResult;
}

export interface ErasFile {
  version: 1;
  /** By server: origin + path of its MCP endpoint (no query, no credentials). */
  servers: Record<string, EraRecord>;
}

const schema = shapeValidator<ErasFile>(
  object({
    version: literal(1),
    servers: recordOf(
      object({
        era: oneOf(['legacy', 'modern']),
        checkedAt: str,
        discover: optional(object({ capabilities: object({}) })),
      }),
    ),
  }),
);

/** The cache key the spec suggests: one era per origin and path. */
export function eraKey(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.origin}${u.pathname}`;
}

/**
 * The protocol era of each server, as the last probe found it, in the data dir (`eras.json`),
 * so a second bridge for the same server sends no probe. A corrupt file is never overwritten:
 * the bridge then probes every time and says why once.
 */
export class EraCache {
  private readonly store: JsonStore<ErasFile>;

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.store = new JsonStore<ErasFile>({
      path: path.join(dataDir, ERAS_FILE),
      schema,
      version: 1,
      empty: () => ({ version: 1, servers: {} }),
    });
  }

  async get(url: URL | string): Promise<Era | undefined> {
    return (await this.record(url))?.era;
  }

  /** The whole entry for the server (era, when it was checked, a modern server's discovery). */
  async record(url: URL | string): Promise<EraRecord | undefined> {
    try {
      return (await this.store.read()).servers[eraKey(url)];
    } catch (error) {
      this.log(`era cache: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Records `era` (and a modern server's `discover`) for the server; failures are logged, never
   * fatal (the next bridge probes).
   */
  set(url: URL | string, era: Era, discover?: DiscoverResult): Promise<void> {
    return this.change(url, {
      era,
      checkedAt: new Date().toISOString(),
      ...(era === 'modern' && discover ? { discover } : {}),
    });
  }

  /** Forgets the server's era: the next bridge probes again. */
  forget(url: URL | string): Promise<void> {
    return this.change(url, undefined);
  }

  /**
   * Read, change one entry, write to a temp file and rename over. No cross-process lock: for a
   * cache the last writer winning is fine, and a bridge need not load the lock library (and its
   * signal hooks) for it. A file that cannot be read is left alone.
   */
  private async change(url: URL | string, record: EraRecord | undefined): Promise<void> {
    const key = eraKey(url);
    try {
      const current = await this.store.read();
      if (sameVerdict(current.servers[key], record)) return;
      const servers = { ...current.servers };
      if (record) servers[key] = record;
      else delete servers[key];
      const file = this.store.path;
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, JSON.stringify({ ...current, servers }, null, 2) + '\n', {
        mode: 0o600,
      });
      await fs.rename(tmp, file);
    } catch (error) {
      this.log(`era cache: ${(error as Error).message}`);
    }
  }
}

/** Same era and same discovery: nothing to write (the check time alone is not worth a write). */
function sameVerdict(a: EraRecord | undefined, b: EraRecord | undefined): boolean {
  if (a?.era !== b?.era) return false;
  return b?.discover === undefined || JSON.stringify(a?.discover) === JSON.stringify(b.discover);
}
