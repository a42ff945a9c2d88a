import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SwitchboardError } from '../shared/errors.js';
import type { AuditEvent } from './audit-event.js';
import { csvHeader, csvRow, type ExportFormat } from './audit-export.js';
import { methodMatcher, timeRange, type AuditFilter } from './audit-filter.js';
import {
  AuditIndex,
  DIRECTIONS,
  hashId,
  isIndexable,
  KINDS,
  STATUS_ERROR,
  STATUS_OK,
  type SegmentMeta,
} from './audit-index.js';
import {
  activityFromIndex,
  sparklinesFromIndex,
  type Activity,
  type ActivityRange,
  type ProjectSparkline,
} from './activity.js';
import { applyRetention, type RetentionOptions, type RetentionResult } from './retention.js';
import { auditDir, isSegmentFile } from './segment-files.js';
import { scanLines } from './segment-scan.js';

/** A stored event plus `ref`, its stable address (`<segment file>@<byte offset>`). */
export type AuditRow = AuditEvent & { ref: string };

export interface AuditPage {
  events: AuditRow[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export interface AuditSessionNode {
  sessionId: string;
  segment: string;
  start: string;
  end: string;
  events: number;
  errors: number;
  clientVersion?: string;
}
export interface AuditClientNode {
  client: string;
  sessions: AuditSessionNode[];
}
export interface AuditProjectNode {
  projectId: string;
  projectName?: string;
  clients: AuditClientNode[];
}

export interface AuditStoreOptions {
  /** Segments last modified before this (epoch ms) are not indexed: a CLI query with --since. */
  skipSegmentsBefore?: number;
  pollMs?: number;
  /** Called while the first index build runs (and once when it is complete). */
  onProgress?: (progress: IndexProgress) => void;
}

/** How far the first index build is: bytes of segment files indexed out of their total. */
export interface IndexProgress {
  ready: boolean;
  indexedBytes: number;
  totalBytes: number;
  /** 0–100; 100 once ready. */
  percent: number;
}

export interface ActivityQuery {
  range: ActivityRange;
  /** Project id or name. */
  project?: string;
  /** Epoch ms the range ends at (defaults to now). */
  now?: number;
}

/** The public face of the audit store, met by the in-process store and the worker-backed one. */
export type AuditApi = Pick<
  AuditStore,
  | 'ready'
  | 'refresh'
  | 'subscribe'
  | 'query'
  | 'scan'
  | 'export'
  | 'exportToFile'
  | 'get'
  | 'pair'
  | 'sessions'
  | 'activity'
  | 'sparklines'
  | 'progress'
  | 'retain'
  | 'stats'
  | 'close'
>;

type Listener = (rows: AuditRow[]) => void;

const MAX_LIMIT = 5000;

/**
 * Reads the audit segments: an index built on first use, then kept current by tailing the
 * directory (fs.watch, with a stat poll as the fallback). Answers filtered, paginated queries,
 * request/response pairs, the sessions tree and exports. Read-only apart from retention.
 */
export class AuditStore {
  readonly dir: string;
  private readonly index = new AuditIndex();
  private building: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private stopTail: (() => void) | undefined;
  private badLines = 0;
  private built: IndexProgress = { ready: false, indexedBytes: 0, totalBytes: 0, percent: 0 };

  constructor(
    readonly dataDir: string,
    private readonly opts: AuditStoreOptions = {},
  ) {
    this.dir = auditDir(dataDir);
  }

  /** Builds the index once (later calls wait for the same build). */
  ready(): Promise<void> {
    this.building ??= this.serial(() => this.scanAll(false)).finally(() => {
      this.built = { ...this.built, ready: true, percent: 100 };
      this.opts.onProgress?.(this.built);
    });
    return this.building;
  }

  /** How far the first index build is (queries before it completes wait for it). */
  progress(): IndexProgress {
    return { ...this.built };
  }

  /**
   * Indexes whatever was appended since the last scan and tells listeners about it. With
   * `names`, only those segments are looked at (fs.watch said which changed); without, all.
   */
  async refresh(names?: readonly string[]): Promise<void> {
    await this.ready();
    await this.serial(() => this.scanAll(true, names));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async scanAll(emit: boolean, only?: readonly string[]): Promise<void> {
    let names: string[];
    if (only) {
      names = only.filter(isSegmentFile).sort();
    } else {
      try {
        names = (await fsp.readdir(this.dir)).filter(isSegmentFile).sort();
      } catch {
        return; // No audit directory yet: nothing has been recorded.
      }
    }
    const fresh: AuditRow[] = [];
    const first = !emit && !this.built.ready;
    const stats = new Map<string, fs.Stats>();
    if (first) {
      // Sizes first, so the build can say how far it is.
      for (const name of names) {
        try {
          stats.set(name, await fsp.stat(path.join(this.dir, name)));
        } catch {
          // Removed meanwhile.
        }
      }
      let totalBytes = 0;
      for (const st of stats.values()) totalBytes += st.size;
      this.built = { ready: false, indexedBytes: 0, totalBytes, percent: 0 };
      this.opts.onProgress?.(this.built);
    }
    for (const name of names) {
      const known = this.index.segmentByName.get(name);
      if (known?.deleted) continue;
      let stat: fs.Stats;
      try {
        stat = stats.get(name) ?? (await fsp.stat(path.join(this.dir, name)));
      } catch {
        continue;
      }
      if (!known && this.opts.skipSegmentsBefore && stat.mtimeMs < this.opts.skipSegmentsBefore) {
        continue;
      }
      const seg = known ?? this.index.segment(name);
      if (stat.size <= seg.readOffset) continue;
      seg.readOffset = await scanLines(
        path.join(this.dir, name),
        seg.readOffset,
        (lines) => {
          for (const line of lines) {
            if (!isIndexable(line.value)) {
              this.badLines++;
              continue;
            }
            this.index.add(line.value, seg, line.offset, line.length);
            if (emit) fresh.push({ ...line.value, ref: `${name}@${line.offset}` });
          }
        },
        () => this.badLines++,
      );
      if (first) this.advance(stat.size);
    }
    if (fresh.length && this.listeners.size) {
      fresh.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
      for (const l of this.listeners) {
        try {
          l(fresh);
        } catch {
          // One faulty listener must not stop the others or the tail.
        }
      }
    }
  }

  private lastReport = 0;

  private advance(bytes: number): void {
    const b = this.built;
    const indexedBytes = b.indexedBytes + bytes;
    const percent = b.totalBytes > 0 ? Math.min(99, (indexedBytes / b.totalBytes) * 100) : 0;
    this.built = { ...b, indexedBytes, percent };
    // At most ~10 reports a second: enough for a progress bar, cheap to post between threads.
    const now = Date.now();
    if (now - this.lastReport >= 100) {
      this.lastReport = now;
      this.opts.onProgress?.(this.built);
    }
  }

  /**
   * Calls `listener` with every batch of newly appended events. Tailing runs while at least one
   * listener is subscribed. Returns the unsubscribe function.
   */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.stopTail) this.stopTail = this.startTail();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.stopTail) {
        this.stopTail();
        this.stopTail = undefined;
      }
    };
  }

  private startTail(): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    // Segments fs.watch named since the last scan; `all` when it could not say (or on a poll).
    let changed = new Set<string>();
    let all = false;
    const soon = (name?: string) => {
      if (name) changed.add(name);
      else all = true;
      if (timer || stopped) return;
      timer = setTimeout(() => {
        timer = undefined;
        const names = all ? undefined : [...changed];
        changed = new Set();
        all = false;
        void this.refresh(names).catch(() => undefined);
      }, 15);
    };
    let watcher: fs.FSWatcher | undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      watcher = fs.watch(this.dir, (_event, name) => soon(name ? name.toString() : undefined));
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined; // The poll below still finds every change.
    }
    const poll = setInterval(() => soon(), this.opts.pollMs ?? 1000);
    poll.unref();
    void this.ready().then(() => soon());
    return () => {
      stopped = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      watcher?.close();
    };
  }

  /** Newest first, `limit` per page (default 100). */
  async query(
    filter: AuditFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<AuditPage> {
    await this.ready();
    const limit = Math.min(Math.max(1, page.limit ?? 100), MAX_LIMIT);
    const { lo, hi } = this.bounds(filter, page.cursor);
    const match = this.compile(filter);
    const text = filter.text?.trim().toLowerCase();
    const picked: { entry: number; line: string }[] = [];
    const order = this.index.order.data;
    let p = hi - 1;
    const reader = new LineReader(this.dir, this.index);
    try {
      while (p >= lo && picked.length < limit) {
        const batch: number[] = [];
        for (; p >= lo && batch.length < (text ? 512 : limit - picked.length); p--) {
          const e = order[p]!;
          if (match(e)) batch.push(e);
        }
        const lines = reader.read(batch);
        for (let k = 0; k < batch.length && picked.length < limit; k++) {
          const line = lines[k];
          if (line === undefined) continue;
          if (text && !line.toLowerCase().includes(text)) continue;
          picked.push({ entry: batch[k]!, line });
          // A text batch may overshoot: step back so the cursor resumes right after this one.
          if (picked.length === limit) p = this.positionOfEntry(batch[k]!) - 1;
        }
      }
    } finally {
      reader.close();
    }
    const events = picked.map(({ entry, line }) => this.toRow(entry, line));
    const last = picked[picked.length - 1];
    const more = picked.length === limit && p >= lo;
    return more && last ? { events, nextCursor: this.cursorOf(last.entry) } : { events };
  }

  /** Every matching event, oldest first, in batches (exports and `--follow` backfill). */
  async *scan(filter: AuditFilter = {}): AsyncGenerator<AuditRow[]> {
    await this.ready();
    const ix = this.index;
    const { lo, hi } = this.bounds(filter);
    const match = this.compile(filter);
    const text = filter.text?.trim().toLowerCase();
    // Snapshot the matching entries now: appends during a long export do not shift them.
    const generation = ix.generation;
    const order = ix.order.data;
    const picked = new Uint32Array(Math.max(0, hi - lo));
    let n = 0;
    for (let p = lo; p < hi; p++) {
      const e = order[p]!;
      if (match(e)) picked[n++] = e;
    }
    const reader = new LineReader(this.dir, ix);
    try {
      for (let i = 0; i < n; i += 2000) {
        if (ix.generation !== generation) {
          throw new SwitchboardError(
            'CONFLICT',
            'Retention removed old audit events while they were being read. Run the export again.',
          );
        }
        const batch = Array.from(picked.subarray(i, Math.min(n, i + 2000)));
        const lines = reader.read(batch);
        const rows: AuditRow[] = [];
        batch.forEach((entry, k) => {
          const line = lines[k];
          if (line === undefined) return;
          if (text && !line.toLowerCase().includes(text)) return;
          rows.push(this.toRow(entry, line));
        });
        if (rows.length) yield rows;
        // Keep main responsive during a large export.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      reader.close();
    }
  }

  /** Writes the selection (oldest first) to `out` as JSON Lines or CSV; returns the count. */
  export(filter: AuditFilter, format: ExportFormat, out: NodeJS.WritableStream): Promise<number> {
    return writeExport(this.scan(filter), format, out);
  }

  /** Writes the selection to a file (0600, created atomically by rename). */
  async exportToFile(filter: AuditFilter, format: ExportFormat, file: string): Promise<number> {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const stream = fs.createWriteStream(tmp, { mode: 0o600 });
    try {
      const count = await this.export(filter, format, stream);
      await new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
      await fsp.rename(tmp, file);
      return count;
    } catch (error) {
      stream.destroy();
      await fsp.rm(tmp, { force: true });
      throw error;
    }
  }

  /** One event by its ref. */
  async get(ref: string): Promise<AuditRow> {
    await this.ready();
    const entry = this.entryOf(ref);
    const reader = new LineReader(this.dir, this.index);
    try {
      const line = reader.read([entry])[0];
      if (line === undefined) throw notFound(ref);
      return this.toRow(entry, line);
    } finally {
      reader.close();
    }
  }

  /** The event and its other half: a request with its response, or a response with its request. */
  async pair(ref: string): Promise<{ request?: AuditRow; response?: AuditRow }> {
    await this.ready();
    const entry = this.entryOf(ref);
    const ix = this.index;
    const kind = KINDS[ix.kind.data[entry]!];
    const self = await this.get(ref);
    const isRequest = kind === 'request';
    const isReply = kind === 'response' || kind === 'error';
    if ((!isRequest && !isReply) || self.id === undefined) {
      return isRequest ? { request: self } : { response: self };
    }
    const seg = ix.file.data[entry]!;
    const h = hashId(self.id);
    const selfDir = ix.direction.data[entry]!;
    let best = -1;
    for (let e = 0; e < ix.count; e++) {
      if (ix.file.data[e] !== seg || ix.rpcId.data[e] !== h || e === entry) continue;
      const k = KINDS[ix.kind.data[e]!];
      const ok = isRequest ? k === 'response' || k === 'error' : k === 'request';
      if (!ok || ix.direction.data[e] === selfDir) continue;
      // The reply closest after the request (or the request closest before the reply).
      const after = ix.offset.data[e]! > ix.offset.data[entry]!;
      if (isRequest !== after) continue;
      if (best === -1 || (isRequest ? e < best : e > best)) best = e;
    }
    let other: AuditRow | undefined;
    if (best !== -1) {
      const reader = new LineReader(this.dir, ix);
      try {
        const line = reader.read([best])[0];
        if (line !== undefined) other = this.toRow(best, line);
      } finally {
        reader.close();
      }
      if (other && other.id !== self.id) other = undefined; // hash collision
    }
    return isRequest ? { request: self, response: other } : { request: other, response: self };
  }

  /** Bridge sessions grouped project → client → session, newest first. */
  async sessions(): Promise<AuditProjectNode[]> {
    await this.ready();
    const projects = new Map<string, Map<string, AuditSessionNode[]>>();
    for (const seg of this.index.segments) {
      if (seg.deleted || !seg.sessionId || seg.count === 0) continue;
      const pid = seg.projectId ?? '';
      const clients = projects.get(pid) ?? new Map<string, AuditSessionNode[]>();
      projects.set(pid, clients);
      const client = seg.client ?? 'unknown client';
      const list = clients.get(client) ?? [];
      clients.set(client, list);
      list.push(sessionNode(seg));
    }
    const byStartDesc = (a: { start: string }, b: { start: string }) =>
      a.start < b.start ? 1 : a.start > b.start ? -1 : 0;
    return [...projects.entries()]
      .map(([projectId, clients]) => {
        const name = this.index.projectNames.get(projectId);
        const node: AuditProjectNode = {
          projectId,
          clients: [...clients.entries()]
            .map(([client, sessions]) => ({ client, sessions: sessions.sort(byStartDesc) }))
            .sort((a, b) => a.client.localeCompare(b.client)),
        };
        if (name) node.projectName = name;
        return node;
      })
      .sort((a, b) => (a.projectName ?? a.projectId).localeCompare(b.projectName ?? b.projectId));
  }

  /** Calls, errors and latency over a range, in total and per client (the activity chart). */
  async activity(q: ActivityQuery): Promise<Activity> {
    await this.ready();
    const accept = this.compile(q.project ? { project: q.project } : {});
    return activityFromIndex(this.index, q.range, q.now ?? Date.now(), accept);
  }

  /** Calls and errors per minute over the last hour, per project (the list's sparklines). */
  async sparklines(now = Date.now()): Promise<ProjectSparkline[]> {
    await this.ready();
    return sparklinesFromIndex(this.index, now);
  }

  /** Deletes old segments (by age, then by total size) and forgets their events. */
  async retain(opts: RetentionOptions = {}): Promise<RetentionResult> {
    await this.ready();
    return this.serial(async () => {
      const result = await applyRetention(this.dir, opts);
      this.index.dropSegments(result.deleted);
      return result;
    });
  }

  stats(): { events: number; segments: number; indexBytes: number; badLines: number } {
    return {
      events: this.index.count,
      segments: this.index.segments.filter((s) => !s.deleted).length,
      indexBytes: this.index.memoryBytes(),
      badLines: this.badLines,
    };
  }

  close(): void {
    this.listeners.clear();
    this.stopTail?.();
    this.stopTail = undefined;
  }

  // — internals —

  private bounds(filter: AuditFilter, cursor?: string): { lo: number; hi: number } {
    const { from, to } = timeRange(filter);
    const ix = this.index;
    const lo = Number.isFinite(from) ? ix.lowerBound(from) : 0;
    let hi = Number.isFinite(to) ? ix.lowerBound(to) : ix.count;
    if (cursor) hi = Math.min(hi, this.cursorPosition(cursor));
    return { lo, hi };
  }

  private compile(filter: AuditFilter): (entry: number) => boolean {
    const ix = this.index;
    const checks: ((e: number) => boolean)[] = [];
    if (filter.project) {
      const q = filter.project;
      const ql = q.toLowerCase();
      const ok = ix.strings.matching(
        (v) => v === q || ix.projectNames.get(v)?.toLowerCase() === ql,
      );
      checks.push((e) => ok[ix.project.data[e]!] === 1);
    }
    if (filter.client) {
      const cl = filter.client.toLowerCase();
      const ok = ix.strings.matching((v) => v.toLowerCase() === cl);
      const segOk = ix.segments.map((s) => s.client?.toLowerCase() === cl);
      checks.push((e) => {
        const c = ix.client.data[e]!;
        return c !== 0 ? ok[c] === 1 : segOk[ix.file.data[e]!] === true;
      });
    }
    if (filter.session) {
      const sid = filter.session;
      const segOk = ix.segments.map((s) => s.sessionId === sid);
      checks.push((e) => segOk[ix.file.data[e]!] === true);
    }
    if (filter.method) {
      const ok = ix.strings.matching(methodMatcher(filter.method));
      checks.push((e) => ok[ix.method.data[e]!] === 1);
    }
    if (filter.tool) {
      const tool = filter.tool;
      const ok = ix.strings.matching((v) => v === tool);
      checks.push((e) => ok[ix.target.data[e]!] === 1);
    }
    if (filter.status) {
      const want = filter.status === 'ok' ? STATUS_OK : STATUS_ERROR;
      checks.push((e) => ix.status.data[e] === want);
    }
    if (checks.length === 0) return () => true;
    return (e) => {
      for (const c of checks) if (!c(e)) return false;
      return true;
    };
  }

  private toRow(entry: number, line: string): AuditRow {
    const seg = this.index.segments[this.index.file.data[entry]!]!;
    const event = JSON.parse(line) as AuditEvent;
    // A hand-edited or foreign line still yields a well-formed row for the UI.
    if (!DIRECTIONS.includes(event.direction)) event.direction = 'bridge';
    return { ...event, ref: `${seg.name}@${this.index.offset.data[entry]!}` };
  }

  private entryOf(ref: string): number {
    const at = ref.lastIndexOf('@');
    const seg = this.index.segmentByName.get(ref.slice(0, at));
    const offset = Number(ref.slice(at + 1));
    if (at <= 0 || !seg || seg.deleted || !Number.isFinite(offset)) throw notFound(ref);
    const ix = this.index;
    for (let e = 0; e < ix.count; e++) {
      if (ix.file.data[e] === seg.idx && ix.offset.data[e] === offset) return e;
    }
    throw notFound(ref);
  }

  private positionOfEntry(entry: number): number {
    const ix = this.index;
    return ix.positionOf(ix.ts.data[entry]!, ix.file.data[entry]!, ix.offset.data[entry]!);
  }

  private cursorOf(entry: number): string {
    const ix = this.index;
    const seg = ix.segments[ix.file.data[entry]!]!;
    return Buffer.from(
      JSON.stringify([ix.ts.data[entry]!, seg.name, ix.offset.data[entry]!]),
    ).toString('base64url');
  }

  private cursorPosition(cursor: string): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (
      !Array.isArray(parsed) ||
      typeof parsed[0] !== 'number' ||
      typeof parsed[1] !== 'string' ||
      typeof parsed[2] !== 'number'
    ) {
      throw new SwitchboardError(
        'VALIDATION',
        'The page cursor is not one this store produced. Start again without a cursor.',
      );
    }
    const [ts, name, offset] = parsed as [number, string, number];
    const seg = this.index.segmentByName.get(name);
    // A segment removed by retention: resume at its time.
    if (!seg) return this.index.lowerBound(ts);
    return this.index.positionOf(ts, seg.idx, offset);
  }
}

/** Writes scanned rows to `out` as JSON Lines or CSV; returns the count. */
export async function writeExport(
  batches: AsyncIterable<AuditRow[]>,
  format: ExportFormat,
  out: NodeJS.WritableStream,
): Promise<number> {
  let count = 0;
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      out.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
  if (format === 'csv') await write(csvHeader());
  for await (const rows of batches) {
    const text = rows
      .map((row) => {
        const { ref: _ref, ...event } = row;
        return format === 'csv' ? csvRow(event) : JSON.stringify(event) + '\n';
      })
      .join('');
    await write(text);
    count += rows.length;
  }
  return count;
}

function sessionNode(seg: SegmentMeta): AuditSessionNode {
  const node: AuditSessionNode = {
    sessionId: seg.sessionId!,
    segment: seg.name,
    start: new Date(seg.firstTs).toISOString(),
    end: new Date(seg.lastTs).toISOString(),
    events: seg.count,
    errors: seg.errors,
  };
  if (seg.clientVersion) node.clientVersion = seg.clientVersion;
  return node;
}

function notFound(ref: string): SwitchboardError {
  return new SwitchboardError(
    'NOT_FOUND',
    `No audit event ${JSON.stringify(ref.slice(0, 120))}: it may have been removed by retention.`,
  );
}

/** Reads indexed lines by position, keeping one descriptor per segment for the whole batch. */
class LineReader {
  private readonly fds = new Map<number, number>();
  constructor(
    private readonly dir: string,
    private readonly index: AuditIndex,
  ) {}

  read(entries: readonly number[]): (string | undefined)[] {
    const ix = this.index;
    return entries.map((e) => {
      const segIdx = ix.file.data[e]!;
      let fd = this.fds.get(segIdx);
      if (fd === undefined) {
        try {
          fd = fs.openSync(path.join(this.dir, ix.segments[segIdx]!.name), 'r');
        } catch {
          return undefined; // Removed meanwhile.
        }
        this.fds.set(segIdx, fd);
      }
      const len = ix.length.data[e]!;
      const buf = Buffer.allocUnsafe(len);
      const n = fs.readSync(fd, buf, 0, len, ix.offset.data[e]!);
      return buf.toString('utf8', 0, n);
    });
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
