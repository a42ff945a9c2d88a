/**
 * Milliseconds on a monotonic clock, like `performance.now()` but without it: the first touch of
 * the `performance` global loads node:perf_hooks, ~1.3 ms of a bridge's start-up when it falls on
 * the first message's path (the audit tap times every message).
 */
export function monotonicMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}
