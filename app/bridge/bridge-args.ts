// What the bridge's loader decides before any of the bridge's modules load (app/bridge/cjs-entry.ts).

/** `bridge --project X` / `bridge --project=X` and nothing else; anything fancier → the full CLI. */
export function fastBridgeArgs(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'bridge') return undefined;
  if (argv.length === 3 && argv[1] === '--project' && argv[2] && !argv[2].startsWith('-')) {
    return argv[2];
  }
  if (argv.length === 2 && argv[1]?.startsWith('--project=') && argv[1].length > 10) {
    return argv[1].slice(10);
  }
  return undefined;
}

/**
 * V8 settings for a bridge process, applied right after its first answer (app/bridge/cjs-entry.ts
 * says why not sooner; bench/ and the README's Bridge section have the numbers).
 * - The young generation keeps its initial size: a bridge's garbage dies young, and growing it to
 *   V8's default 16 MB semi-spaces costs ~3.5 MB of RSS for no measurable speed.
 * - `--optimize-for-size`: V8's memory reducer then trims every idle bridge (young generation
 *   uncommitted, old space compacted, 10.6 → 8.8 MB PSS about 8 s after start) instead of
 *   skipping the ones whose file polls it reads as allocation, and collections during a burst
 *   compact; paired p50 was unchanged.
 * - `--flush-baseline-code`: baseline code a burst compiled goes, like bytecode, once its
 *   function has not run for a few full collections (the idle trim's, in practice), so a bridge
 *   back at rest holds the code size it had before the burst (0.7 → 0.5 MB code space in one
 *   bridge, with the trim's compaction); a hot path keeps its code while it runs.
 * - By default no TurboFan. On Node 20 (V8 11.3) `--maglev` does nothing (no Maglev is built in:
 *   a hot loop runs as slowly as with `--no-opt`), so there the bridge runs interpreted and
 *   Sparkplug code; Electron's newer V8 gets Maglev. TurboFan costs ~1.3 MB per bridge that a
 *   burst leaves behind (10 bridges after 200 calls each: 1.16 → 1.38× idle Node) for a few % of
 *   per-call time in a short session. SWITCHBOARD_BRIDGE_JIT=full restores it; `off` adds
 *   `--no-opt`.
 */
export function bridgeV8Flags(jit: string | undefined): string {
  const memory = '--semi-space-growth-factor=1 --optimize-for-size --flush-baseline-code';
  if (jit === 'full') return memory;
  if (jit === 'off') return `${memory} --no-opt`;
  return `${memory} --maglev --no-turbofan`;
}
