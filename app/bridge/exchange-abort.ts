/**
 * A request's own abort, shared by its POST and any resumption GETs: what an AbortController
 * does for one exchange, without an EventTarget. Every request the bridge forwards makes one,
 * and an AbortController with its abort listener cost ~30 µs of a ~1 ms call there (the bridge
 * runs without an optimizing compiler, bridge-args.ts). A real AbortSignal is made only for
 * an API that needs one (fetch, for the SDK transport).
 */
export class ExchangeAbort {
  private done = false;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  get aborted(): boolean {
    return this.done;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.controller?.abort();
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const fn of listeners) fn();
  }

  /** Runs `fn` once, on abort; returns what removes it. */
  onAbort(fn: () => void): () => void {
    (this.listeners ??= []).push(fn);
    return () => {
      const at = this.listeners?.indexOf(fn) ?? -1;
      if (at !== -1) this.listeners!.splice(at, 1);
    };
  }

  /** An AbortSignal that fires with this (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort();
    }
    return this.controller.signal;
  }
}

/** What can end an exchange early: a request's ExchangeAbort or a transport-wide AbortSignal. */
export type ExchangeSignal = AbortSignal | ExchangeAbort;

/** Runs `fn` once when `signal` fires; returns what removes it. */
export function onAbort(signal: ExchangeSignal, fn: () => void): () => void {
  if (signal instanceof ExchangeAbort) return signal.onAbort(fn);
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** The AbortSignal form, for fetch. */
export function toAbortSignal(signal: ExchangeSignal | undefined): AbortSignal | undefined {
  return signal instanceof ExchangeAbort ? signal.signal : signal;
}
