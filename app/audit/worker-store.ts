import { Worker } from 'node:worker_threads';
import { fromEnvelope, SwitchboardError } from '../shared/errors.js';
import type { Activity, ProjectSparkline } from './activity.js';
import type { ExportFormat } from './audit-export.js';
import type { AuditFilter } from './audit-filter.js';
import {
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
import type {
  AuditWorkerData,
  WorkerMessage,
  WorkerRequest,
  WorkerStats,
} from './worker-protocol.js';

type Listener = (rows: AuditRow[]) => void;
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

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
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`The audit index worker stopped (exit code ${code}).`));
    });
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
    return { ...this.latest };
  }

  /** As of the worker's last message (it sends them with every answer and progress step). */
  stats(): WorkerStats {
    return { ...this.lastStats };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    void this.worker.terminate();
    this.fail(new SwitchboardError('INTERNAL', 'The audit store was closed.'));
  }

  // — plumbing —

  private call(method: WorkerRequest['method'], args: unknown[]): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      this.worker.postMessage({ id, method, args });
    });
  }

  private receive(m: WorkerMessage): void {
    if ('event' in m) {
      if (m.event === 'appended') {
        for (const l of this.listeners) {
          try {
            l(m.rows);
          } catch {
            // One faulty listener must not stop the others or the tail.
          }
        }
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
    if (this.closed) return;
    if (this.pending.size > 0 || this.listeners.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
