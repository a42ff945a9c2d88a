// Gives a bridge's heap back once it goes quiet after a burst. V8 collects old-generation garbage
// only when allocation pushes it to do so, and its memory reducer runs once, about 8 s after start;
// a bridge that served a burst of calls and then sits idle (how a client's bridge spends most of its
// life) would otherwise keep that garbage, and the young generation it filled, until it next gets
// busy. A few compacting full collections at a quiet moment give back the old generation's
// share, the young generation and the code space's. Nothing here runs on a request's path.
import type * as V8 from 'node:v8';
import { lazyBuiltin } from '../platform/lazy-builtin.js';

// Loaded when the probe is made (after the first answer): ~2 ms of start-up otherwise.
const loadV8 = lazyBuiltin<typeof V8>('node:v8');

export interface IdleTrimProbe {
  /** CPU time this process has used, all threads, in ms. */
  cpuMs(): number;
  /** Memory the V8 heap holds now, in bytes. */
  heapBytes(): number;
  /** A few full, compacting garbage collections. */
  collect(): void;
  /** Runs `fn` in `ms`; the timer must not keep the process alive. */
  later(fn: () => void, ms: number): void;
}

export interface IdleTrimOptions {
  /**
   * The first look. Start-up garbage is V8's own memory reducer's job: it runs about 8 s after
   * start, and a collection before it only puts it off (measured: bridges left untrimmed).
   */
  firstLookMs?: number;
  /** How often the bridge is looked at (a look costs a few µs; the file watchers poll 4× as often). */
  checkMs?: number;
  /** Less CPU than this in one look's window counts as quiet (the file polls use ~3 ms per 2 s). */
  quietCpuMs?: number;
  /** Heap growth above the resting size that is worth a collection. */
  growthBytes?: number;
  /** Collections tried for one burst before its size becomes the new resting size. */
  attempts?: number;
  onTrim?: (beforeBytes: number, afterBytes: number) => void;
  /** The collection threw; no more looks. */
  onStop?: (error: unknown) => void;
}

/**
 * Starts looking. The first quiet look collects and sets the resting size: the smallest heap
 * seen while quiet. After a burst, live keep-alive sockets can hold memory until the server
 * closes them, so a collection that leaves the heap above the resting size is tried again with
 * growing gaps, a bounded number of times; then that size becomes the resting size.
 */
export function startIdleTrim(probe: IdleTrimProbe, opts: IdleTrimOptions = {}): void {
  const checkMs = opts.checkMs ?? 2000;
  const quietCpuMs = opts.quietCpuMs ?? 20;
  const growth = opts.growthBytes ?? 1 << 20;
  const attempts = opts.attempts ?? 4;
  let resting = Number.POSITIVE_INFINITY;
  let tries = 0; // collections so far for the burst at hand
  let lastCpu = probe.cpuMs();

  const look = () => {
    const cpu = probe.cpuMs();
    const busy = cpu - lastCpu >= quietCpuMs;
    if (busy) {
      tries = 0;
    } else if (resting === Number.POSITIVE_INFINITY || probe.heapBytes() >= resting + growth) {
      const before = probe.heapBytes();
      try {
        probe.collect();
      } catch (error) {
        // A V8 that refuses the call now will refuse it again: stop looking, say why.
        opts.onStop?.(error);
        return;
      }
      const after = probe.heapBytes();
      opts.onTrim?.(before, after);
      if (after < resting + growth) {
        resting = Math.min(resting, after);
        tries = 0;
      } else if (++tries >= attempts) {
        resting = after; // it really holds this much now
        tries = 0;
      }
    } else {
      resting = Math.min(resting, probe.heapBytes());
      tries = 0;
    }
    // The collection's own CPU is not the bridge being busy.
    lastCpu = probe.cpuMs();
    probe.later(look, checkMs * 2 ** tries);
  };
  probe.later(look, opts.firstLookMs ?? 10_000);
}

/** Collections per trim (see the probe's `collect`). */
const COLLECTIONS_PER_TRIM = 3;

/**
 * The probe for this process, or undefined where this V8 cannot collect on request. Node offers
 * a collection only through `--expose-gc`, whose `gc` exists only in contexts created afterwards;
 * a context to fetch it from holds ~380 KB, more than some trims return. So each trim compiles
 * and runs V8's own runtime call with natives syntax allowed for just that moment. (Compiled
 * once and kept, V8 may flush its bytecode while the bridge idles and then fail to recompile it:
 * seen as a SyntaxError at the next trim.)
 */
export function processIdleTrimProbe(): IdleTrimProbe | undefined {
  const v8 = loadV8();
  const compiles = (source: string) => {
    try {
      new Function(source);
      return true;
    } catch {
      return false;
    }
  };
  // A process started with natives syntax (a profiling run) keeps it: no toggling then.
  const alreadyOn = compiles('%CollectGarbage(0); // natives syntax on from the start?');
  const withNatives = <T>(fn: () => T): T => {
    if (alreadyOn) return fn();
    v8.setFlagsFromString('--allow-natives-syntax');
    try {
      return fn();
    } finally {
      v8.setFlagsFromString('--no-allow-natives-syntax');
    }
  };
  if (!withNatives(() => compiles('%CollectGarbage(0)'))) return undefined;
  // V8 cannot be asked for a flag's value: a process started compacting (a debugging run) is
  // recognised by its options, and left so.
  const compactsAlways = /--compact[-_]on[-_]every[-_]full[-_]gc\b/.test(
    [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '),
  );
  return {
    cpuMs: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    heapBytes: () => v8.getHeapStatistics().total_physical_size,
    collect: () => {
      // Compacting for just these collections: without it the code space pages a burst filled
      // with baseline code (freed by --flush-baseline-code) stay. And one collection only starts
      // shrinking the young generation; each further one halves it. Measured on one bridge, 12 s
      // after a 200-call burst, anonymous memory above its idle size: one plain collection per
      // trim 1.6 MB, three plain 0.7 MB, one / two / three compacting 1.5 / 0.4 / 0 MB. Three
      // compacting ones cost ~30 ms (~50 ms CPU with V8's helper threads) on a 4 MB heap, against
      // ~4 ms for one plain one: paid only when quiet, and only after a burst grew the heap.
      if (!compactsAlways) v8.setFlagsFromString('--compact-on-every-full-gc');
      try {
        for (let i = 0; i < COLLECTIONS_PER_TRIM; i++) {
          withNatives(() => (new Function('%CollectGarbage(0)') as () => void)());
        }
      } finally {
        if (!compactsAlways) v8.setFlagsFromString('--no-compact-on-every-full-gc');
      }
    },
    later: (fn, ms) => setTimeout(fn, ms).unref(),
  };
}
