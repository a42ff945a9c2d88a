import type { ErrorEnvelope } from '../shared/errors.js';
import type { AuditRow, AuditStore, AuditStoreOptions, IndexProgress } from './audit-store.js';

/** What the worker is started with. */
export interface AuditWorkerData {
  dataDir: string;
  opts: Omit<AuditStoreOptions, 'onProgress'>;
}

/** The store methods the worker answers, with their arguments as sent. */
export const WORKER_METHODS = [
  'ready',
  'refresh',
  'query',
  'get',
  'pair',
  'sessions',
  'activity',
  'sparklines',
  'retain',
  'exportToFile',
] as const satisfies readonly (keyof AuditStore)[];
export type WorkerMethod = (typeof WORKER_METHODS)[number];

export type WorkerRequest =
  | { id: number; method: WorkerMethod; args: unknown[] }
  | { id: number; method: 'scanOpen'; args: [unknown] }
  | { id: number; method: 'scanNext' | 'scanClose'; args: [number] }
  | { id: number; method: 'subscribe' | 'unsubscribe'; args: [] };

export type WorkerStats = ReturnType<AuditStore['stats']>;

export type WorkerMessage =
  | { id: number; ok: true; value: unknown; stats: WorkerStats }
  | { id: number; ok: false; error: ErrorEnvelope; stats: WorkerStats }
  | { event: 'appended'; rows: AuditRow[] }
  | { event: 'progress'; progress: IndexProgress; stats: WorkerStats };
