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
 * V8 settings for a bridge process, applied before its modules load (bench/ and the README's
 * Bridge section have the numbers). The young generation keeps its initial size: a bridge's
 * garbage dies young, and growing it to V8's default 16 MB semi-spaces costs ~3.5 MB of RSS for
 * no measurable speed. By default Maglev without TurboFan: ~7 MB smaller at the same or lower
 * CPU per call, since the hot path is short and mostly JSON. SWITCHBOARD_BRIDGE_JIT=full
 * restores TurboFan; `off` keeps only the interpreter and baseline code (smallest, ~10% slower
 * per call).
 */
export function bridgeV8Flags(jit: string | undefined): string {
  const young = '--semi-space-growth-factor=1';
  if (jit === 'full') return young;
  if (jit === 'off') return `${young} --no-opt`;
  return `${young} --maglev --no-turbofan`;
}
