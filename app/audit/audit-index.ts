import { AuditKindSchema, type AuditEvent } from './audit-event.js';
import { Column, Interner } from './columns.js';

export const KINDS = AuditKindSchema.options;
const KIND_ID = new Map<string, number>(KINDS.map((k, i) => [k, i]));
export const DIRECTIONS = ['client->server', 'server->client', 'bridge'] as const;
const DIRECTION_ID = new Map<string, number>(DIRECTIONS.map((d, i) => [d, i]));
export const STATUS_NONE = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

/** What the index knows about one segment file (one bridge session, or one process's lifecycle events). */
export interface SegmentMeta {
  idx: number;
  name: string;
  /** Bytes indexed so far: the start of the first incomplete line. */
  readOffset: number;
  sessionId?: string;
  projectId?: string;
  projectName?: string;
  client?: string;
  clientVersion?: string;
  firstTs: number;
  lastTs: number;
  count: number;
  errors: number;
  deleted: boolean;
}

/** The fields of a stored line the index needs; anything else stays on disk. */
export function isIndexable(value: unknown): value is AuditEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.ts === 'string' &&
    typeof e.projectId === 'string' &&
    typeof e.kind === 'string' &&
    KIND_ID.has(e.kind)
  );
}

/** FNV-1a: pairs a response with its request without keeping every JSON-RPC id in memory. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Columnar, in-memory index of every stored event: time, position on disk and the filterable
 * fields as interned ids. `order` lists entries by (time, segment, offset); queries walk it
 * from the end (newest first). Payload previews stay on disk.
 */
export class AuditIndex {
  count = 0;
  /** Bumped when entries are renumbered (retention): long readers check it. */
  generation = 0;
  readonly ts = new Column(Float64Array);
  readonly file = new Column(Uint32Array);
  readonly offset = new Column(Float64Array);
  readonly length = new Column(Uint32Array);
  readonly project = new Column(Uint32Array);
  readonly client = new Column(Uint32Array);
  readonly method = new Column(Uint32Array);
  readonly target = new Column(Uint32Array);
  readonly rpcId = new Column(Uint32Array);
  /** Round-trip time of a response in ms (from the bridge's tap); -1 when not recorded. */
  readonly duration = new Column(Float32Array);
  readonly kind = new Column(Uint8Array);
  readonly direction = new Column(Uint8Array);
  readonly status = new Column(Uint8Array);
  readonly order = new Column(Uint32Array);
  readonly strings = new Interner();
  readonly segments: SegmentMeta[] = [];
  readonly segmentByName = new Map<string, SegmentMeta>();

  segment(name: string): SegmentMeta {
    let meta = this.segmentByName.get(name);
    if (!meta) {
      meta = {
        idx: this.segments.length,
        name,
        readOffset: 0,
        firstTs: Number.POSITIVE_INFINITY,
        lastTs: Number.NEGATIVE_INFINITY,
        count: 0,
        errors: 0,
        deleted: false,
      };
      this.segments.push(meta);
      this.segmentByName.set(name, meta);
    }
    return meta;
  }

  /** Adds one event; returns its entry number. */
  add(e: AuditEvent, seg: SegmentMeta, offset: number, length: number): number {
    const i = this.count++;
    const t = Date.parse(e.ts);
    const ts = Number.isNaN(t) ? 0 : t;
    const isError = e.status === 'error' || e.kind === 'error';
    this.ts.set(i, ts);
    this.file.set(i, seg.idx);
    this.offset.set(i, offset);
    this.length.set(i, length);
    // Project names are matched through the id → name map below, keyed by the id.
    this.project.set(i, this.strings.id(e.projectId));
    if (e.projectName) this.projectNames.set(e.projectId, e.projectName);
    this.client.set(i, this.strings.id(e.client?.name));
    this.method.set(i, this.strings.id(e.method));
    this.target.set(i, this.strings.id(e.target));
    this.rpcId.set(i, e.id === undefined ? 0 : hashId(e.id));
    this.duration.set(i, typeof e.durationMs === 'number' ? e.durationMs : -1);
    this.kind.set(i, KIND_ID.get(e.kind) ?? 0);
    this.direction.set(i, DIRECTION_ID.get(e.direction) ?? 2);
    this.status.set(i, isError ? STATUS_ERROR : e.status === 'ok' ? STATUS_OK : STATUS_NONE);

    seg.count++;
    if (isError) seg.errors++;
    if (ts < seg.firstTs) seg.firstTs = ts;
    if (ts > seg.lastTs) seg.lastTs = ts;
    if (e.sessionId && !seg.sessionId) seg.sessionId = e.sessionId;
    if (e.projectId && !seg.projectId) seg.projectId = e.projectId;
    if (e.projectName && !seg.projectName) seg.projectName = e.projectName;
    if (e.client?.name && !seg.client) {
      seg.client = e.client.name;
      seg.clientVersion = e.client.version;
    }
    this.insertOrdered(i);
    return i;
  }

  /** Latest display name seen for each project id. */
  readonly projectNames = new Map<string, string>();

  private before(a: number, b: number): boolean {
    const ta = this.ts.data[a]!;
    const tb = this.ts.data[b]!;
    if (ta !== tb) return ta < tb;
    const fa = this.file.data[a]!;
    const fb = this.file.data[b]!;
    if (fa !== fb) return fa < fb;
    return this.offset.data[a]! < this.offset.data[b]!;
  }

  /** Appends are almost always newest; the rare older one is moved back a few slots. */
  private insertOrdered(i: number): void {
    let pos = i;
    this.order.set(pos, i);
    const order = this.order.data;
    while (pos > 0 && this.before(i, order[pos - 1]!)) {
      order[pos] = order[pos - 1]!;
      pos--;
    }
    order[pos] = i;
  }

  /** First position in `order` whose time is ≥ `t`. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    const order = this.order.data;
    const ts = this.ts.data;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[order[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of entry (ts, segment, offset) in `order`, or where it would be. */
  positionOf(ts: number, fileIdx: number, offset: number): number {
    let lo = 0;
    let hi = this.count;
    const order = this.order.data;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = order[mid]!;
      const et = this.ts.data[e]!;
      const ef = this.file.data[e]!;
      const less =
        et < ts ||
        (et === ts && (ef < fileIdx || (ef === fileIdx && this.offset.data[e]! < offset)));
      if (less) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Forgets every event of the given segments (after retention deleted their files). */
  dropSegments(names: readonly string[]): void {
    const gone = new Set<number>();
    for (const name of names) {
      const meta = this.segmentByName.get(name);
      if (meta && !meta.deleted) {
        meta.deleted = true;
        gone.add(meta.idx);
      }
    }
    if (gone.size === 0) return;
    this.generation++;
    const n = this.count;
    const keep = new Uint8Array(n);
    const newId = new Uint32Array(n);
    let w = 0;
    for (let r = 0; r < n; r++) {
      if (!gone.has(this.file.data[r]!)) {
        keep[r] = 1;
        newId[r] = w++;
      }
    }
    for (const col of this.entryColumns()) col.compact(keep, n);
    const order = this.order.data;
    let o = 0;
    for (let p = 0; p < n; p++) {
      const e = order[p]!;
      if (keep[e]) order[o++] = newId[e]!;
    }
    this.count = w;
  }

  /** Bytes held by the columns (the interned strings and segment list are extra and small). */
  memoryBytes(): number {
    return [...this.entryColumns(), this.order].reduce((sum, c) => sum + c.bytes(), 0);
  }

  /** The columns indexed by entry number (`order` is indexed by position instead). */
  private entryColumns() {
    return [
      this.ts,
      this.file,
      this.offset,
      this.length,
      this.project,
      this.client,
      this.method,
      this.target,
      this.rpcId,
      this.duration,
      this.kind,
      this.direction,
      this.status,
    ];
  }
}
