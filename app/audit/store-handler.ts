import type { AuditFilter } from './audit-filter.js';
import type { AuditRow, AuditStore } from './audit-store.js';
import { WORKER_METHODS, type WorkerRequest } from './worker-protocol.js';

const methods = new Set<string>(WORKER_METHODS);

/**
 * Answers worker-protocol requests against a store: the audit worker runs it in its thread,
 * and the worker-backed store runs it in-process when the worker cannot start. Scans are kept
 * by id between `scanNext` calls; `subscribe` forwards appended rows to `onAppended`.
 */
export function storeHandler(
  store: AuditStore,
  onAppended: (rows: AuditRow[]) => void,
): (req: Pick<WorkerRequest, 'method' | 'args'>) => Promise<unknown> {
  const scans = new Map<number, AsyncGenerator<AuditRow[]>>();
  let nextScan = 1;
  let unsubscribe: (() => void) | undefined;
  return async (req) => {
    switch (req.method) {
      case 'scanOpen': {
        const id = nextScan++;
        scans.set(id, store.scan((req.args[0] ?? {}) as AuditFilter));
        return id;
      }
      case 'scanNext': {
        const id = req.args[0] as number;
        const scan = scans.get(id);
        if (!scan) return null;
        const next = await scan.next();
        if (next.done) scans.delete(id);
        return next.done ? null : next.value;
      }
      case 'scanClose': {
        const id = req.args[0] as number;
        await scans.get(id)?.return(undefined);
        scans.delete(id);
        return null;
      }
      case 'subscribe':
        unsubscribe ??= store.subscribe(onAppended);
        return null;
      case 'unsubscribe':
        unsubscribe?.();
        unsubscribe = undefined;
        return null;
      default: {
        if (!methods.has(req.method)) throw new Error(`Unknown audit store method ${req.method}.`);
        const fn = store[req.method] as (...args: unknown[]) => Promise<unknown>;
        return fn.apply(store, req.args);
      }
    }
  };
}
