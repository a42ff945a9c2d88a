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
