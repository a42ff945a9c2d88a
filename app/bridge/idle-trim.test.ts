import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { processIdleTrimProbe, startIdleTrim, type IdleTrimProbe } from './idle-trim.js';

const MB = 1 << 20;

/** A probe whose CPU clock and heap size the test sets; `look()` runs the trimmer's next look. */
function scriptedProbe(heapMb: number) {
  const state = { cpu: 0, heap: heapMb * MB, collections: 0, gaps: [] as number[] };
  let next: (() => void) | undefined;
  let afterCollect = (heap: number) => heap;
  const probe: IdleTrimProbe = {
    cpuMs: () => state.cpu,
    heapBytes: () => state.heap,
    collect: () => {
      state.collections += 1;
      state.heap = afterCollect(state.heap);
    },
    later: (fn, ms) => {
      next = fn;
      state.gaps.push(ms);
    },
  };
  return {
    probe,
    state,
    onCollect: (fn: (heap: number) => number) => (afterCollect = fn),
    look: ({ cpuMs = 0, heapMb: mb }: { cpuMs?: number; heapMb?: number } = {}) => {
      state.cpu += cpuMs;
      if (mb !== undefined) state.heap = mb * MB;
      next?.();
    },
  };
}

describe('idle trim', () => {
  it('waits for V8 at start, then collects after a burst once the bridge is quiet', () => {
    const s = scriptedProbe(7);
    const trims: Array<[number, number]> = [];
    startIdleTrim(s.probe, { onTrim: (a, b) => trims.push([a / MB, b / MB]) });
    expect(s.state.gaps).toEqual([10_000]); // after V8's memory reducer has had its turn
    s.onCollect(() => 5.5 * MB);
    s.look(); // the first quiet look collects and sets the resting size
    expect(trims).toEqual([[7, 5.5]]);
    s.look({ cpuMs: 400, heapMb: 11 }); // a burst: busy, nothing collected mid-burst
    expect(s.state.collections).toBe(1);
    s.onCollect(() => 5.8 * MB);
    s.look(); // quiet, 5.5 MB above resting
    expect(trims).toEqual([
      [7, 5.5],
      [11, 5.8],
    ]);
    s.look({ heapMb: 6 }); // within the allowance: no collection
    expect(s.state.collections).toBe(2);
  });

  it('retries while sockets still hold memory, with growing gaps, then accepts the new size', () => {
    const s = scriptedProbe(6);
    startIdleTrim(s.probe, { firstLookMs: 100, checkMs: 100, attempts: 3 });
    s.look();
    s.look({ cpuMs: 200, heapMb: 10 });
    s.onCollect((heap) => heap); // nothing comes back: the memory is live
    const gapsBefore = s.state.gaps.length;
    s.look();
    s.look();
    s.look();
    expect(s.state.collections).toBe(4);
    expect(s.state.gaps.slice(gapsBefore)).toEqual([200, 400, 100]);
    s.look();
    s.look();
    expect(s.state.collections).toBe(4); // 10 MB is the resting size now
  });

  it('does not count its own collection as activity', () => {
    const s = scriptedProbe(6);
    startIdleTrim(s.probe, { firstLookMs: 1000, checkMs: 1000 });
    s.look();
    s.onCollect(() => {
      s.state.cpu += 500; // a long collection
      return 6 * MB;
    });
    s.look({ heapMb: 9 });
    expect(s.state.collections).toBe(2);
    // Grown again: quiet (the 500 ms were the collection's own), so it collects again.
    s.look({ heapMb: 9 });
    expect(s.state.collections).toBe(3);
  });

  it('stops looking if the collection throws, and says why', () => {
    const s = scriptedProbe(6);
    const stops: unknown[] = [];
    startIdleTrim(s.probe, { onStop: (e) => stops.push(e) });
    s.onCollect(() => {
      throw new SyntaxError('refused');
    });
    const looks = s.state.gaps.length;
    s.look();
    expect(stops).toEqual([new SyntaxError('refused')]);
    expect(s.state.gaps.length).toBe(looks); // no next look scheduled
  });

  it('leaves natives syntax on for a process that started with it', () => {
    v8.setFlagsFromString('--allow-natives-syntax');
    try {
      processIdleTrimProbe()!.collect();
      expect(() => new Function('return %CollectGarbage(2);')).not.toThrow();
    } finally {
      v8.setFlagsFromString('--no-allow-natives-syntax');
    }
  });

  it('compacts: pages a plain collection sweeps in place are emptied and given back', () => {
    const probe = processIdleTrimProbe()!;
    const oldSpace = () =>
      v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.physical_space_size;
    const plainCollection = () => {
      v8.setFlagsFromString('--allow-natives-syntax');
      try {
        (new Function('%CollectGarbage(0)') as () => void)();
      } finally {
        v8.setFlagsFromString('--no-allow-natives-syntax');
      }
    };
    // Old-generation pages two-thirds live: under V8's default heuristics (this test's) a full
    // collection sweeps them in place. (A bridge runs --optimize-for-size, under which plain
    // collections already compact such old-space pages; there, forcing compaction is what
    // empties the code space a burst filled.) This checks that the probe's collections compact.
    const all: object[] = [];
    for (let i = 0; i < 300_000; i++) all.push({ i, pad: [i, i + 1] });
    plainCollection();
    const survivors = all.filter((_, i) => i % 3 !== 0);
    all.length = 0;
    for (let i = 0; i < 3; i++) plainCollection();
    const swept = oldSpace();
    probe.collect();
    // Survivors moved together onto fewer pages.
    expect(oldSpace()).toBeLessThan(swept - 4 * (1 << 20));
    expect(survivors.length).toBe(200_000);
  });

  it('collects for real in this V8 and turns natives syntax off again', () => {
    const probe = processIdleTrimProbe();
    expect(probe).toBeDefined();
    // Garbage that only a full collection reclaims: promoted to the old generation, then dropped.
    const garbage = new Set<unknown>();
    for (let i = 0; i < 200_000; i++) garbage.add({ i });
    expect(garbage.size).toBe(200_000);
    garbage.clear();
    const before = process.memoryUsage().heapUsed;
    probe!.collect();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before);
    // Natives syntax is off again (a source V8 has not compiled before, so no cached result).
    expect(() => new Function('return %CollectGarbage(1);')).toThrow(SyntaxError);
  });
});
