import fs from 'node:fs';
import * as fsc from '../platform/fs-callbacks.js';
import path from 'node:path';
import { correlationHex } from '../shared/correlation-id.js';
import { redactSecrets } from '../shared/redact.js';
import { AUDIT_EVENT_VERSION } from '../shared/file-versions.js';
import type { AuditEvent, AuditSink, AuditWriteInput } from './audit-event.js';
import { makePreview, redactJson, secretKeyMatcher, type PreviewOptions } from './preview.js';
import { auditDir, segmentFileName } from './segment-files.js';

export interface AuditSegmentOptions {
  dataDir: string;
  projectId: string;
  projectName?: string;
  /** The bridge session: one segment file per session, so no two processes share a file. */
  sessionId: string;
  /** Known secret values (bearer token, secret header values): never written anywhere. */
  secrets?: readonly string[];
  /** The project's secret header names: their values are redacted wherever they appear. */
  secretHeaders?: readonly string[];
  /** Preview size in bytes (default 2 KB). */
  previewBytes?: number;
  /** Per-project opt-in: keep whole payloads (still redacted). Off by default. */
  fullPayloads?: boolean;
  /** Bound on events waiting for disk (default 10 000); beyond it events are counted and dropped. */
  maxBufferedEvents?: number;
  /** Bound on bytes waiting for disk (default 8 MB). */
  maxBufferedBytes?: number;
  /** How long writes are gathered before one append (default 25 ms). */
  flushIntervalMs?: number;
  /** Told about disk errors; the writer itself never throws into the caller. */
  onError?: (error: Error) => void;
}

export interface AuditSegmentStats {
  file: string;
  written: number;
  dropped: number;
  buffered: number;
}

/** An `AuditSink` writing one JSON Lines segment file. */
export interface AuditSegment extends AuditSink {
  readonly file: string;
  /** Adds a secret value to redact from now on (e.g. after a token rotation). */
  addSecret(value: string): void;
  stats(): AuditSegmentStats;
}

/** Opens the segment for one bridge session. Returns at once; the file opens in the background. */
export function openAuditSegment(opts: AuditSegmentOptions): AuditSegment {
  return new SegmentWriter(opts, segmentFileName(`${opts.projectId}_${opts.sessionId}`));
}

export interface LifecycleSegmentOptions extends Omit<
  AuditSegmentOptions,
  'sessionId' | 'projectId'
> {
  /** Who writes: 'app', 'cli', … (goes into the file name). */
  source: string;
}

/**
 * A small segment for lifecycle events written by the app or the CLI (token rotated, consent,
 * config installed, …): one per process, so it never shares a file with anyone.
 */
export function openLifecycleSegment(opts: LifecycleSegmentOptions): AuditSegment {
  const name = `${opts.source}-${process.pid}-${correlationHex(3)}`;
  return new SegmentWriter({ ...opts, projectId: '', sessionId: '' }, segmentFileName(name));
}

const lifecycleSegments = new Map<string, AuditSegment>();

/**
 * Records one lifecycle event through this process's lifecycle segment for `dataDir` and waits
 * until it is on disk (a CLI command exits right after).
 */
export async function recordLifecycleEvent(
  dataDir: string,
  event: AuditWriteInput,
  source = 'cli',
): Promise<void> {
  const key = `${dataDir}\0${source}`;
  let segment = lifecycleSegments.get(key);
  if (!segment) {
    segment = openLifecycleSegment({ dataDir, source });
    lifecycleSegments.set(key, segment);
  }
  segment.write(event);
  await segment.flush();
}

/** Closes every lifecycle segment this process opened. */
export async function closeLifecycleSegments(): Promise<void> {
  const all = [...lifecycleSegments.values()];
  lifecycleSegments.clear();
  await Promise.all(all.map((s) => s.close()));
}

// Segments still open when the process exits get their buffer written synchronously.
const openSegments = new Set<SegmentWriter>();
let exitHookInstalled = false;
function trackOpen(segment: SegmentWriter): void {
  openSegments.add(segment);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => openSegments.forEach((s) => s.flushSyncOnExit()));
  }
}

/**
 * The one redaction pass over an event's own fields (the preview and detail have theirs): every
 * one of them can carry peer-chosen text (a method name, an id of any length, the client's name
 * and version, a target, an error message), and a server may echo a token into any of them.
 */
function redactEventFields(event: AuditEvent, secrets: readonly string[]): void {
  if (event.method) event.method = redactSecrets(event.method, secrets);
  if (event.id) event.id = redactSecrets(event.id, secrets);
  if (event.target) event.target = redactSecrets(event.target, secrets);
  if (event.errorMessage) event.errorMessage = redactSecrets(event.errorMessage, secrets);
  if (event.projectName) event.projectName = redactSecrets(event.projectName, secrets);
  if (event.client) {
    event.client = {
      name: redactSecrets(event.client.name, secrets),
      ...(event.client.version !== undefined
        ? { version: redactSecrets(event.client.version, secrets) }
        : {}),
    };
  }
}

class SegmentWriter implements AuditSegment {
  readonly file: string;
  private readonly secrets: string[];
  private readonly preview: PreviewOptions;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly interval: number;
  private lines: string[] = [];
  private bufferedBytes = 0;
  private seq = 0;
  private written = 0;
  private dropped = 0;
  /** Drops not yet recorded in the file: written as one 'dropped' event at the next flush. */
  private pendingDrops: { count: number; reason: string; from: string; to: string } | undefined;
  private fd: number | undefined;
  /** The segment's file descriptor, once open (undefined if it could not be opened). */
  private readonly opened: Promise<number | undefined>;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly opts: AuditSegmentOptions,
    fileName: string,
  ) {
    this.file = path.join(auditDir(opts.dataDir), fileName);
    this.secrets = [...(opts.secrets ?? [])].filter((s) => s.length >= 4);
    this.preview = {
      secrets: this.secrets,
      secretHeaders: opts.secretHeaders,
      isSecretKey: secretKeyMatcher(opts.secretHeaders),
      maxBytes: opts.previewBytes,
      full: opts.fullPayloads,
    };
    this.maxEvents = opts.maxBufferedEvents ?? 10_000;
    this.maxBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.interval = opts.flushIntervalMs ?? 25;
    this.opened = this.open();
    trackOpen(this);
  }

  private async open(): Promise<number | undefined> {
    try {
      await fsc.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const fd = await fsc.open(this.file, 'a', 0o600);
      this.fd = fd;
      return fd;
    } catch (error) {
      this.report(error);
      return undefined;
    }
  }

  addSecret(value: string): void {
    if (value.length >= 4 && !this.secrets.includes(value)) this.secrets.push(value);
  }

  write(input: AuditWriteInput): void {
    if (this.closed) return;
    const ts = input.ts ?? new Date().toISOString();
    let line: string;
    try {
      line = JSON.stringify(this.toEvent(input, ts)) + '\n';
    } catch (error) {
      // A malformed event must never reach the caller's forwarding path as an exception.
      this.report(error);
      this.noteDrop(1, 'unserializable', ts);
      return;
    }
    const size = Buffer.byteLength(line);
    if (this.lines.length >= this.maxEvents || this.bufferedBytes + size > this.maxBytes) {
      this.noteDrop(1, 'buffer-full', ts);
      this.schedule();
      return;
    }
    this.lines.push(line);
    this.bufferedBytes += size;
    this.schedule();
  }

  private toEvent(input: AuditWriteInput, ts: string): AuditEvent {
    const event: AuditEvent = {
      v: AUDIT_EVENT_VERSION,
      ts,
      seq: this.seq++,
      projectId: input.projectId || this.opts.projectId,
      direction: input.direction,
      kind: input.kind,
    };
    // Copy only schema fields, in schema order: cheaper than object rest/spread on a hot path,
    // and a stray field (say, a header bag) never reaches the disk.
    const from = input as Record<string, unknown>;
    const to = event as Record<string, unknown>;
    for (const key of OPTIONAL_FIELDS) {
      const value = from[key];
      if (value !== undefined) to[key] = value;
    }
    const payload = input.payload;
    if (this.opts.sessionId) event.sessionId = this.opts.sessionId;
    if (!event.projectName && this.opts.projectName) event.projectName = this.opts.projectName;
    if (payload !== undefined) {
      const p = makePreview(payload, this.preview, input.payloadText);
      event.preview = p.preview;
      if (p.truncated) event.truncated = true;
      event.bytes ??= p.bytes;
    } else if (event.preview !== undefined) {
      // A caller-built preview gets the same treatment: redacted, then cut.
      const p = makePreview(tryParse(event.preview), this.preview);
      event.preview = p.preview;
      if (p.truncated) event.truncated = true;
    }
    redactEventFields(event, this.secrets);
    if (event.detail) event.detail = JSON.parse(redactJson(event.detail, this.preview)) as never;
    return event;
  }

  private noteDrop(count: number, reason: string, ts: string): void {
    this.dropped += count;
    const p = this.pendingDrops;
    if (p) {
      p.count += count;
      p.to = ts;
      if (!p.reason.includes(reason)) p.reason += `,${reason}`;
    } else {
      this.pendingDrops = { count, reason, from: ts, to: ts };
    }
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.chain = this.chain.then(() => this.drain(false));
    }, this.interval);
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(() => this.drain(true));
    return this.chain;
  }

  private takeBatch(): string {
    const lines = this.lines;
    this.lines = [];
    this.bufferedBytes = 0;
    if (this.pendingDrops) {
      const d = this.pendingDrops;
      this.pendingDrops = undefined;
      // Dropped events came after the buffered ones, so their record goes last.
      lines.push(
        JSON.stringify({
          v: AUDIT_EVENT_VERSION,
          ts: new Date().toISOString(),
          seq: this.seq++,
          projectId: this.opts.projectId,
          ...(this.opts.projectName ? { projectName: this.opts.projectName } : {}),
          ...(this.opts.sessionId ? { sessionId: this.opts.sessionId } : {}),
          direction: 'bridge',
          kind: 'dropped',
          status: 'error',
          errorMessage: `${d.count} audit event(s) dropped (${d.reason})`,
          detail: { count: d.count, reason: d.reason, from: d.from, to: d.to },
        } satisfies AuditEvent) + '\n',
      );
    }
    return lines.join('');
  }

  /**
   * Writes what is buffered. The timer's drain writes one batch: what arrives while it is on its
   * way waits for the next interval (write() arms the timer), so a busy bridge appends once per
   * interval rather than once per event whenever a write is slower than the events come (each
   * append is a round trip through the thread pool). `flush()` writes until nothing is left.
   */
  private async drain(untilEmpty: boolean): Promise<void> {
    await this.opened;
    while (this.lines.length > 0 || this.pendingDrops) {
      const count = this.lines.length;
      const chunk = this.takeBatch();
      // Read each time: close() clears it before closing, so a drain never writes to a
      // descriptor number the process may have handed to another file since.
      const fd = this.fd;
      if (fd === undefined) {
        this.noteDrop(count, this.closed ? 'closed' : 'open-failed', new Date().toISOString());
        return;
      }
      try {
        // The whole chunk, however many write(2) calls it takes (the file is in append mode).
        await fsc.writeFile(fd, chunk);
        this.written += count;
      } catch (error) {
        this.report(error);
        this.noteDrop(count, 'write-failed', new Date().toISOString());
        return;
      }
      if (!untilEmpty) {
        if (this.lines.length > 0 || this.pendingDrops) this.schedule();
        return;
      }
    }
  }

  /** Last-chance synchronous write when the process exits with events still buffered. */
  flushSyncOnExit(): void {
    if (this.fd === undefined || (this.lines.length === 0 && !this.pendingDrops)) return;
    try {
      fs.writeSync(this.fd, this.takeBatch());
    } catch {
      // Exiting: nowhere left to report to.
    }
  }

  close(): Promise<void> {
    return (this.closing ??= this.closeOnce());
  }

  private async closeOnce(): Promise<void> {
    await this.flush();
    this.closed = true;
    // What was written while that flush ran (write() still took it) goes out too.
    await this.flush();
    openSegments.delete(this);
    await this.opened;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await fsc.close(fd).catch(() => undefined);
  }

  stats(): AuditSegmentStats {
    return {
      file: this.file,
      written: this.written,
      dropped: this.dropped,
      buffered: this.lines.length,
    };
  }

  private report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    try {
      this.opts.onError?.(new Error(redactSecrets(err.message, this.secrets)));
    } catch {
      // A faulty error callback must not break the writer.
    }
  }
}

/**
 * The optional fields of AuditEventSchema, in its order (a test checks they match). Listed here
 * rather than read from the schema so a bridge writes audit without loading zod.
 */
export const OPTIONAL_FIELDS = [
  'projectName',
  'sessionId',
  'client',
  'method',
  'id',
  'target',
  'durationMs',
  'status',
  'errorCode',
  'errorMessage',
  'bytes',
  'tokenFingerprint',
  'preview',
  'truncated',
  'detail',
] as const satisfies readonly (keyof AuditEvent)[];

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
