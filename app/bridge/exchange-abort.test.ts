import { describe, expect, it } from 'vitest';
import { ExchangeAbort, onAbort, toAbortSignal } from './exchange-abort.js';

describe('ExchangeAbort', () => {
  it('runs each listener once, on the first abort only, and not after its removal', () => {
    const a = new ExchangeAbort();
    const calls: string[] = [];
    onAbort(a, () => calls.push('one'));
    const off = onAbort(a, () => calls.push('removed'));
    onAbort(a, () => calls.push('two'));
    off();
    expect(a.aborted).toBe(false);
    a.abort();
    a.abort();
    expect(a.aborted).toBe(true);
    expect(calls).toEqual(['one', 'two']);
  });

  it('gives fetch a real AbortSignal, made before or after the abort', () => {
    const before = new ExchangeAbort();
    const signal = toAbortSignal(before)!;
    let fired = 0;
    signal.addEventListener('abort', () => fired++);
    before.abort();
    expect(signal.aborted).toBe(true);
    expect(fired).toBe(1);
    const after = new ExchangeAbort();
    after.abort();
    expect(toAbortSignal(after)!.aborted).toBe(true);
  });

  it('treats a transport-wide AbortSignal the same way', () => {
    const c = new AbortController();
    const calls: number[] = [];
    const off = onAbort(c.signal, () => calls.push(1));
    onAbort(c.signal, () => calls.push(2));
    off();
    c.abort();
    expect(calls).toEqual([2]);
    expect(toAbortSignal(c.signal)).toBe(c.signal);
    expect(toAbortSignal(undefined)).toBeUndefined();
  });
});
