import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

export interface CodeCacheOptions {
  /** Where cache files live (created 0700 inside an existing parent); undefined: no cache. */
  dir: string | undefined;
  /** The bundle's build (a content hash the build script writes into the loader). */
  buildId: string;
}

export interface CachedModule {
  exports: unknown;
  /**
   * `hit`: compiled from the cache; `miss`: no cache yet; `refused`: V8 turned the cache down
   * (another V8 or flags, or a damaged file); `runtime`: the runtime's own compile cache is on
   * (Node ≥ 22.1) or no cache directory was given.
   */
  cache: 'hit' | 'miss' | 'refused' | 'runtime';
  /**
   * Writes the code cache if there was none or V8 refused it. Call it once the module has done
   * what every run does (so the cache holds those functions too) and before any V8 flag changes:
   * V8 refuses a cache made under other flags than the ones it is read under.
   */
  saveCache(): void;
}

const STALE_CACHE_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a CommonJS bundle like `require(file)`, with V8's code cache so every spawn after the
 * first skips compiling what the first one ran (≈ 4–5 ms of a bridge's cold start, see bench/).
 * Node ≥ 22.1 (Electron's) does this itself with `module.enableCompileCache`; Node 20 does not,
 * so there the bundle is compiled through `vm.Script` with the cached data. V8 checks the cache's
 * version, flags and source length itself; the file name adds the build, size and mtime so an
 * edited bundle never meets old code.
 */
export function requireWithCodeCache(file: string, opts: CodeCacheOptions): CachedModule {
  const runtime = Module as {
    enableCompileCache?: (dir?: string) => unknown;
    flushCompileCache?: () => void;
  };
  const load = createRequire(file);
  if (runtime.enableCompileCache || !opts.dir) {
    if (runtime.enableCompileCache && opts.dir) runtime.enableCompileCache(opts.dir);
    return {
      exports: load(file),
      cache: 'runtime',
      saveCache: () => runtime.flushCompileCache?.(),
    };
  }
  const dir = opts.dir;
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const key = [stat.size, Math.trunc(stat.mtimeMs), process.version, process.arch].join('|');
  const cacheFile = path.join(dir, `bridge-${opts.buildId}-${fnv1a(key)}.v8`);
  let cachedData: Buffer | undefined;
  try {
    // Not through a symbolic link: the cache runs as our code.
    const fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      cachedData = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  // import() from this file, a real module: relative specifiers against the bundle's folder.
  const base = pathToFileURL(file);
  const dynamicImport = (specifier: string): Promise<unknown> =>
    import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier);
  wrapper.call(mod.exports, mod.exports, load, mod, file, path.dirname(file), dynamicImport);
  const cache = !cachedData ? 'miss' : script.cachedDataRejected === true ? 'refused' : 'hit';
  let pending = cache !== 'hit';
  return {
    exports: mod.exports,
    cache,
    saveCache: () => {
      if (!pending) return;
      pending = false;
      writeCache(script, dir, cacheFile);
    },
  };
}

function writeCache(script: vm.Script, dir: string, cacheFile: string): void {
  try {
    // Only inside an existing data directory: a cache never creates it.
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch {
    // exists, or the parent is missing (then the write below fails quietly too)
  }
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
    pruneOldCaches(dir, cacheFile);
  } catch {
    // A read-only or full disk only costs the next spawn its compile time.
  }
}

/**
 * The CommonJS wrapper, with one more parameter: `__sbBridgeImport`. A function V8 restores
 * from a code cache has lost the script's dynamic-import host options (Node 20: every import()
 * in it then fails with "A dynamic import callback was not specified"), so the bundle's import()
 * calls go through this function instead (scripts/build-cli.mjs rewrites them), which runs
 * import() from this file. A bundle loaded by plain require() falls back to its own import().
 */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, __sbBridgeImport) {${source}\n})`;
}

/** Caches of other builds or Node versions, untouched for a day. */
function pruneOldCaches(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!name.startsWith('bridge-') || file === keep) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_CACHE_MS) fs.rmSync(file, { force: true });
    } catch {
      // another bridge pruned it first
    }
  }
}

/** 32-bit FNV-1a as hex: a short, stable file-name key (no node:crypto on this path). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
