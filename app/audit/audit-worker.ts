import { parentPort, workerData } from 'node:worker_threads';
import { toEnvelope } from '../shared/errors.js';
import { AuditStore } from './audit-store.js';
import { storeHandler } from './store-handler.js';
import type { AuditWorkerData, WorkerMessage, WorkerRequest } from './worker-protocol.js';

/**
 * The audit index's own thread: builds the index, tails the directory and answers queries, so
 * a first build over a full store never blocks the app's main thread. `worker-store.ts` is the
 * other end, with the same API as AuditStore.
 */
const port = parentPort!;
const { dataDir, opts } = workerData as AuditWorkerData;
const post = (message: WorkerMessage) => port.postMessage(message);
const store: AuditStore = new AuditStore(dataDir, {
  ...opts,
  onProgress: (progress) => post({ event: 'progress', progress, stats: store.stats() }),
});
const handle = storeHandler(store, (rows) => post({ event: 'appended', rows }));

port.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (value) => post({ id: req.id, ok: true, value, stats: store.stats() }),
    (error: unknown) =>
      post({ id: req.id, ok: false, error: toEnvelope(error), stats: store.stats() }),
  );
});
