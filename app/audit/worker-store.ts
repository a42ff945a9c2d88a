import { Worker } from 'node:worker_threads';
import { fromEnvelope, SwitchboardError, toEnvelope } from '../shared/errors.js';
import type { Activity, ProjectSparkline } from './activity.js';
import type { ExportFormat } from './audit-export.js';
import type { AuditFilter } from './audit-filter.js';
import {
  AuditStore,
  writeExport,
  type ActivityQuery,
  type AuditApi,
  type AuditPage,
  type AuditProjectNode,
  type AuditRow,
  type AuditStoreOptions,
  type IndexProgress,
} from './audit-store.js';
import type { RetentionOptions, RetentionResult } from './retention.js';
import { auditDir } from './segment-files.js';
import { storeHandler } from './store-handler.js';
import type {
  AuditWorkerData,
  WorkerMessage,
  WorkerRequest,
  WorkerStats,
} from './worker-protocol.js';

type Listener = (rows: AuditRow[]) => void;
type Pending = {
  method: WorkerRequest['method'];
  args: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
};

export interface AuditWorkerStoreOptions extends AuditStoreOptions {
  /** The bundled worker entry (`audit-worker.js` next to main's bundle). */
  script: string | URL;
}

/**
 * The audit store with its index in a worker thread: the same API as AuditStore, answered by
 * `audit-worker.ts`. The main thread only posts requests and receives results, so building the
 * index over a full store leaves it free for the window and the tray. The worker is referenced
 * only while a call is pending or a listener is subscribed: an idle store keeps no process up.
 */
export class AuditWorkerStore implements AuditApi {
  readonly dir: string;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private latest: IndexProgress = { ready: false, indexedBytes: 0, totalBytes: 0, percent: 0 };
  private lastStats: WorkerStats = { events: 0, segments: 0, indexBytes: 0, badLines: 0 };
  private failed: Error | undefined;
  private closed = false;
  /** The worker has answered at least once: a later failure is not a start-up failure. */
  private started = false;
  /** Set when the worker could not start: the same requests, answered in this thread. */
  private inline: ((req: Pick<WorkerRequest, 'method' | 'args'>) => Promise<unknown>) | undefined;
  private inlineStore: AuditStore | undefined;
  /** Why the worker is not used, when it is not (for logs and support). */
  fallbackReason: string | undefined;

  constructor(
    readonly dataDir: string,
    private readonly opts: AuditWorkerStoreOptions,
  ) {
    this.dir = auditDir(dataDir);
    const { script, onProgress: _onProgress, ...storeOpts } = opts;
    const data: AuditWorkerData = { dataDir, opts: storeOpts };
    this.worker = new Worker(script, { workerData: data });
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => this.receive(m));
    this.worker.on('error', (error) => this.stopped(error));
    this.worker.on('exit', (code) =>
      this.stopped(new Error(`The audit index worker stopped (exit code ${code}).`)),
    );
  }

  /**
   * The worker died. Before it ever answered (a bundle missing from a package, a loader that
   * cannot run it) the store carries on in this thread, slower to build but complete; after,
   * pending and later calls fail with the reason.
   */
  private stopped(error: Error): void {
    if (this.closed || this.inline || this.failed) return;
    if (this.started) {
      this.fail(error);
      return;
    }
    this.fallbackReason = error.message;
    const { script: _script, ...storeOpts } = this.opts;
    const store = new AuditStore(this.dataDir, {
      ...storeOpts,
      onProgress: (p) => {
        this.latest = p;
        this.opts.onProgress?.(p);
      },
    });
    this.inlineStore = store;
    this.inline = storeHandler(store, (rows) => this.deliver(rows));
    if (this.listeners.size > 0) void this.inline({ method: 'subscribe', args: [] });
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this.runInline(p);
  }

  private runInline(p: Pending): void {
    this.inline!({ method: p.method, args: p.args }).then(p.resolve, (error: unknown) =>
      p.reject(fromEnvelope(toEnvelope(error))),
    );
  }

  // — the AuditStore API —

  async ready(): Promise<void> {
    await this.call('ready', []);
  }
  async refresh(names?: readonly string[]): Promise<void> {
    await this.call('refresh', names ? [names] : []);
  }
  query(
    filter: AuditFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<AuditPage> {
    return this.call('query', [filter, page]) as Promise<AuditPage>;
  }
  get(ref: string): Promise<AuditRow> {
    return this.call('get', [ref]) as Promise<AuditRow>;
  }
  pair(ref: string): Promise<{ request?: AuditRow; response?: AuditRow }> {
    return this.call('pair', [ref]) as Promise<{ request?: AuditRow; response?: AuditRow }>;
  }
  sessions(): Promise<AuditProjectNode[]> {
    return this.call('sessions', []) as Promise<AuditProjectNode[]>;
  }
  activity(q: ActivityQuery): Promise<Activity> {
    return this.call('activity', [q]) as Promise<Activity>;
  }
  sparklines(now = Date.now()): Promise<ProjectSparkline[]> {
    return this.call('sparklines', [now]) as Promise<ProjectSparkline[]>;
  }
  retain(opts: RetentionOptions = {}): Promise<RetentionResult> {
    return this.call('retain', [opts]) as Promise<RetentionResult>;
  }
  exportToFile(filter: AuditFilter, format: ExportFormat, file: string): Promise<number> {
    return this.call('exportToFile', [filter, format, file]) as Promise<number>;
  }
  export(filter: AuditFilter, format: ExportFormat, out: NodeJS.WritableStream): Promise<number> {
    return writeExport(this.scan(filter), format, out);
  }

  async *scan(filter: AuditFilter = {}): AsyncGenerator<AuditRow[]> {
    const id = (await this.call('scanOpen', [filter])) as number;
    let done = false;
    try {
      for (;;) {
        const rows = (await this.call('scanNext', [id])) as AuditRow[] | null;
        if (rows === null) {
          done = true;
          return;
        }
        yield rows;
      }
    } finally {
      if (!done) await this.call('scanClose', [id]).catch(() => undefined);
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.worker.ref();
      void this.call('subscribe', []).catch(() => undefined);
    }
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      void this.call('unsubscribe', []).catch(() => undefined);
      this.updateRef();
    };
  }

  progress(): IndexProgress {
    return this.inlineStore ? this.inlineStore.progress() : { ...this.latest };
  }

  /** As of the worker's last message (it sends them with every answer and progress step). */
  stats(): WorkerStats {
    return this.inlineStore ? this.inlineStore.stats() : { ...this.lastStats };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.inlineStore?.close();
    void this.worker.terminate();
    this.fail(new SwitchboardError('INTERNAL', 'The audit store was closed.'));
  }

  // — plumbing —

  private call(method: WorkerRequest['method'], args: unknown[]): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      if (this.inline) {
        this.runInline({ method, args, resolve, reject });
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { method, args, resolve, reject });
      this.updateRef();
      this.worker.postMessage({ id, method, args });
    });
  }

  private deliver(rows: AuditRow[]): void {
    for (const l of this.listeners) {
      try {
        l(rows);
      } catch {
        // One faulty listener must not stop the others or the tail.
      }
    }
  }

  private receive(m: WorkerMessage): void {
    this.started = true;
    if ('event' in m) {
      if (m.event === 'appended') {
        this.deliver(m.rows);
        return;
      }
      this.latest = m.progress;
      this.lastStats = m.stats;
      this.opts.onProgress?.(m.progress);
      return;
    }
    this.lastStats = m.stats;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.updateRef();
    if (m.ok) p.resolve(m.value);
    else p.reject(fromEnvelope(m.error));
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  /** Keep the process alive only while someone waits for an answer or listens. */
  private updateRef(): void {
    if (this.closed || this.inline) return;
    if (this.pending.size > 0 || this.listeners.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
