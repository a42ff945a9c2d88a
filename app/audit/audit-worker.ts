import { parentPort, workerData } from 'node:worker_threads';
import { toEnvelope } from '../shared/errors.js';
import type { AuditFilter } from './audit-filter.js';
import { AuditStore, type AuditRow } from './audit-store.js';
import {
  WORKER_METHODS,
  type AuditWorkerData,
  type WorkerMessage,
  type WorkerRequest,
} from './worker-protocol.js';

/**
 * The audit index's own thread: builds the index, tails the directory and answers queries, so
 * a first build over a full store never blocks the app's main thread. `worker-store.ts` is the
 * other end, with the same API as AuditStore.
 */
const port = parentPort!;
const { dataDir, opts } = workerData as AuditWorkerData;
const store: AuditStore = new AuditStore(dataDir, {
  ...opts,
  onProgress: (progress) => post({ event: 'progress', progress, stats: store.stats() }),
});
const scans = new Map<number, AsyncGenerator<AuditRow[]>>();
let nextScan = 1;
let unsubscribe: (() => void) | undefined;

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

const methods = new Set<string>(WORKER_METHODS);

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.method) {
    case 'scanOpen': {
      const id = nextScan++;
      scans.set(id, store.scan((req.args[0] ?? {}) as AuditFilter));
      return id;
    }
    case 'scanNext': {
      const scan = scans.get(req.args[0]);
      if (!scan) return null;
      const next = await scan.next();
      if (next.done) scans.delete(req.args[0]);
      return next.done ? null : next.value;
    }
    case 'scanClose':
      await scans.get(req.args[0])?.return(undefined);
      scans.delete(req.args[0]);
      return null;
    case 'subscribe':
      unsubscribe ??= store.subscribe((rows) => post({ event: 'appended', rows }));
      return null;
    case 'unsubscribe':
      unsubscribe?.();
      unsubscribe = undefined;
      return null;
    default: {
      if (!methods.has(req.method)) throw new Error(`Unknown audit worker method ${req.method}.`);
      const fn = store[req.method] as (...args: unknown[]) => Promise<unknown>;
      return fn.apply(store, req.args);
    }
  }
}

port.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (value) => post({ id: req.id, ok: true, value, stats: store.stats() }),
    (error: unknown) =>
      post({ id: req.id, ok: false, error: toEnvelope(error), stats: store.stats() }),
  );
});
