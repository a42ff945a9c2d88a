import { createRequire } from 'node:module';

// Loading a Node built-in costs a bridge milliseconds of start-up and some memory even when it
// is never used (node:crypto ≈ 4 ms and 0.35 MB, node:https over 1 MB), so modules on the
// bridge's path load the ones they may not need on first use instead of at import.
const requireBuiltin = createRequire(import.meta.url);

/** A getter that loads the built-in module `name` the first time it is called. */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

/**
 * The built-in module `name` as an object whose first property read loads it: for modules that
 * import one at the top but use it only off a bridge's start-up path (node:fs/promises costs
 * ~1.8 ms to load, readline included).
 */
export function lazyModule<T extends object>(name: `node:${string}`): T {
  const load = lazyBuiltin<T>(name);
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(load(), key) as unknown,
  });
}
