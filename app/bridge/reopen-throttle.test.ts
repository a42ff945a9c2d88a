import { describe, expect, it } from 'vitest';
import { MIN_REOPEN_MS, ReopenThrottle } from './reopen-throttle.js';

// The clock is injected so the schedule itself is asserted, not wall-clock timing.
describe('ReopenThrottle', () => {
  function throttle(): { t: ReopenThrottle; at: (ms: number) => void } {
    let now = 0;
    return {
      t: new ReopenThrottle({ growFactor: 1.5, maxDelayMs: 3000, now: () => now }),
      at: (ms) => (now = ms),
    };
  }

  it('lets a first open through, floors an immediate reopen and grows the gap while reopens stay short-lived', () => {
    const { t, at } = throttle();
    expect(t.claim('')).toBe(0);
    at(1);
    expect(t.claim('')).toBe(MIN_REOPEN_MS - 1); // opens at 250
    at(251);
    expect(t.claim('')).toBe(MIN_REOPEN_MS * 1.5 - 1); // opens at 625
    at(626);
    expect(t.claim('')).toBe(MIN_REOPEN_MS * 1.5 * 1.5 - 1);
  });

  it('caps the gap at the maximum delay', () => {
    const { t, at } = throttle();
    let now = 0;
    for (let i = 0; i < 30; i++) {
      now += t.claim('') + 1;
      at(now);
    }
    expect(t.claim('')).toBe(3000 - 1);
  });

  it('resets after a stream stayed open, keeps streams apart, and forgets a settled one', () => {
    const { t, at } = throttle();
    t.claim('');
    at(1);
    t.claim('');
    at(10_000);
    expect(t.claim('')).toBe(0);
    expect(t.claim('"7"')).toBe(0);
    at(10_001);
    expect(t.claim('"7"')).toBe(MIN_REOPEN_MS - 1);
    t.forget('"7"');
    expect(t.claim('"7"')).toBe(0);
  });

  it('ends a wait with an AbortError when the exchange is aborted', async () => {
    const t = new ReopenThrottle({ growFactor: 1.5, maxDelayMs: 3000 });
    t.claim('');
    const ac = new AbortController();
    const waiting = t.wait('', ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
