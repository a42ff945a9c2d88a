import { monotonicMs } from '../platform/monotonic-ms.js';
import { onAbort, type ExchangeSignal } from './exchange-abort.js';

/**
 * The floor and back-off for reopening an upstream SSE stream, for both upstream transports
 * (lean and the SDK's): every stream open goes through HttpUpstream's exchange, which waits here
 * first. The transports schedule reconnections by the server's `retry` as given; a server sending
 * `retry: 0` and hanging up at once cannot turn that into a tight reconnect loop, because one
 * stream (the standalone GET stream, or one request's stream and its resumptions) opens at most
 * once per floor, and reopens that come soon after the previous open wait longer each time.
 */

/** The shortest gap between two opens of one stream, whatever `retry` the server sends. */
export const MIN_REOPEN_MS = 250;
/** A reopen sooner than this (plus the gap it waited) after the previous open is short-lived. */
const SHORT_LIVED_MS = 1000;
/** Streams remembered at once; the oldest is forgotten first (request ids come and go). */
const MAX_TRACKED_STREAMS = 1024;

interface StreamOpen {
  openedAt: number;
  /** Opens in a row that each came soon after the one before. */
  streak: number;
  /** The gap this open had to keep from the one before it. */
  gapMs: number;
}

export interface ReopenThrottleOptions {
  growFactor: number;
  maxDelayMs: number;
  now?: () => number;
}

export class ReopenThrottle {
  private readonly opens = new Map<string, StreamOpen>();
  private readonly now: () => number;

  constructor(private readonly opts: ReopenThrottleOptions) {
    this.now = opts.now ?? monotonicMs;
  }

  /**
   * Claims the next open of stream `key` and says how long to wait before performing it
   * (0 for a stream's first open, or one that stayed open a while).
   */
  claim(key: string): number {
    const now = this.now();
    const prev = this.opens.get(key);
    let streak = 0;
    let gapMs = 0;
    if (prev) {
      const since = now - prev.openedAt;
      streak = since < SHORT_LIVED_MS + prev.gapMs ? prev.streak + 1 : 0;
      gapMs =
        streak === 0
          ? MIN_REOPEN_MS
          : Math.min(
              MIN_REOPEN_MS * Math.pow(this.opts.growFactor, streak - 1),
              Math.max(this.opts.maxDelayMs, MIN_REOPEN_MS),
            );
    }
    const waitMs = prev ? Math.max(0, gapMs - (now - prev.openedAt)) : 0;
    this.opens.delete(key); // re-inserted last: the map's order is oldest open first
    this.opens.set(key, { openedAt: now + waitMs, streak, gapMs });
    if (this.opens.size > MAX_TRACKED_STREAMS) {
      const oldest = this.opens.keys().next().value;
      if (oldest !== undefined) this.opens.delete(oldest);
    }
    return waitMs;
  }

  /** Waits out `claim(key)`, ending early with an AbortError when `signal` fires. */
  async wait(key: string, signal: ExchangeSignal | undefined): Promise<void> {
    const ms = this.claim(key);
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const aborted = (): void => {
        clearTimeout(timer);
        reject(Object.assign(new Error('the stream was closed'), { name: 'AbortError' }));
      };
      let off: (() => void) | undefined;
      const timer = setTimeout(() => {
        off?.();
        resolve();
      }, ms);
      if (signal?.aborted) aborted();
      else if (signal) off = onAbort(signal, aborted);
    });
  }

  /** Forgets stream `key` (its request was settled). */
  forget(key: string): void {
    this.opens.delete(key);
  }
}
