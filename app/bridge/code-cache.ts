import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
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

// Node ≥ 20.19 / 21.7: lets a vm.Script's import() work like a file's (without
// --experimental-vm-modules). Older runtimes just require() the bundle.
// (@types/node calls it a number; it is a symbol.)
const mainContextLoader = (
  vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined
)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

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
  if (runtime.enableCompileCache || !opts.dir || !mainContextLoader) {
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
  quietLoaderWarning();
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // The bundle loads its ESM chunks (the full CLI, the SDK transport) with import(), resolved
    // against `filename` by the main context's loader.
    importModuleDynamically:
      mainContextLoader as unknown as vm.ScriptOptions['importModuleDynamically'],
  });
  const mod = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, load, mod, file, path.dirname(file));
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

/**
 * Node 20 calls the main-context loader experimental, on stderr, at every spawn; clients put a
 * bridge's stderr in their logs. That one warning is dropped; Node's printer gets the rest.
 */
function quietLoaderWarning(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (
      warning.name === 'ExperimentalWarning' &&
      /USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(warning.message)
    ) {
      return;
    }
    for (const print of printers) print(warning);
  });
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
