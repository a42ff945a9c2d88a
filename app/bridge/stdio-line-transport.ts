import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { describeJsonError } from '../shared/json-error.js';
import { DEFAULT_MAX_MESSAGE_BYTES, describeBytes } from './message-size.js';
import type { Message } from './protocol.js';
import { keepWireText, wireLine } from './wire-text.js';

const NEWLINE = 0x0a;

export interface BadLine {
  /** The line could not be parsed as JSON at all, or was too long. */
  kind: 'parse' | 'invalid';
  /** The id, when the line was JSON with an id but not a valid JSON-RPC message. */
  id: string | number | null;
  detail: string;
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (stdin/stdout), implementing the SDK's
 * `Transport`. Unlike the SDK's StdioServerTransport it reports malformed lines to the caller
 * (so the bridge can answer -32700 and keep running), never closes itself on a large message,
 * reports EOF, and checks only the envelope: payloads pass through untouched and unvalidated.
 */
export class StdioLineTransport implements Transport {
  onmessage?: (message: Message) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  /** Called for each line that is not a JSON-RPC message. */
  onbadline?: (bad: BadLine) => void;
  /** Called once, right after the first line went out (start-up work that can wait, waits for it). */
  onfirstsend?: () => void;

  private chunks: Buffer[] = [];
  private buffered = 0;
  private skipping = false;
  private closed = false;
  private drainWait: Promise<void> | undefined;
  private endDrainWait: (() => void) | undefined;

  /**
   * Lines longer than `maxLineBytes` (the bridge's one message limit, message-size.ts) are
   * dropped and answered with a parse error, never buffered.
   */
  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxLineBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onInputError);
    // EPIPE when the client went away: that is a close, not a crash.
    this.output.on('error', this.onOutputError);
  }

  async send(message: Message): Promise<void> {
    if (this.closed) return;
    const line = wireLine(message) + '\n';
    const written = this.output.write(line);
    if (this.onfirstsend) {
      const first = this.onfirstsend;
      this.onfirstsend = undefined;
      first();
    }
    if (!written && !this.closed) await this.drained();
  }

  /**
   * One wait for 'drain' shared by every send that found the pipe full (a burst of big answers
   * would otherwise add a listener each: Node's MaxListeners warning on stderr); a close ends it.
   */
  private drained(): Promise<void> {
    this.drainWait ??= new Promise<void>((resolve) => {
      const done = () => {
        this.output.off('drain', done);
        this.drainWait = undefined;
        this.endDrainWait = undefined;
        resolve();
      };
      this.endDrainWait = done;
      this.output.on('drain', done);
    });
    return this.drainWait;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onInputError);
    this.output.off('error', this.onOutputError);
    this.endDrainWait?.();
    this.onclose?.();
  }

  private readonly onEnd = () => {
    void this.close();
  };

  private readonly onInputError = (error: Error) => {
    this.onerror?.(error);
  };

  private readonly onOutputError = (error: Error) => {
    this.onerror?.(error);
    void this.close();
  };

  private readonly onData = (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let nl = buf.indexOf(NEWLINE);
    while (nl !== -1) {
      const head = buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
      if (this.skipping) {
        this.skipping = false;
        this.chunks = [];
        this.buffered = 0;
      } else {
        const line = this.chunks.length === 0 ? head : Buffer.concat([...this.chunks, head]);
        this.chunks = [];
        this.buffered = 0;
        this.handleLine(line);
      }
      nl = buf.indexOf(NEWLINE);
    }
    if (buf.length === 0 || this.skipping) return;
    this.buffered += buf.length;
    if (this.buffered > this.maxLineBytes) {
      this.chunks = [];
      this.buffered = 0;
      this.skipping = true;
      this.onbadline?.({
        kind: 'parse',
        id: null,
        detail: `message larger than the bridge's limit of ${describeBytes(this.maxLineBytes)} (SWITCHBOARD_MAX_MESSAGE_BYTES); it was dropped`,
      });
      return;
    }
    this.chunks.push(buf);
  };

  private handleLine(raw: Buffer): void {
    let text = raw.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.onbadline?.({ kind: 'parse', id: null, detail: describeJsonError(error) });
      return;
    }
    const problem = envelopeProblem(value);
    if (problem) {
      const id = (value as { id?: unknown } | null)?.id;
      this.onbadline?.({
        kind: 'invalid',
        // 1e400 parses to Infinity, which has no JSON form: such a request is answered with null.
        id: typeof id === 'string' || isFiniteNumber(id) ? id : null,
        detail: problem,
      });
      return;
    }
    keepWireText(value as Message, text);
    this.onmessage?.(value as Message);
  }
}

/** The JSON-RPC 2.0 envelope only; params/result stay opaque. */
function envelopeProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'JSON-RPC batches are not supported by MCP';
  if (typeof value !== 'object' || value === null) return 'not a JSON-RPC object';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'missing "jsonrpc": "2.0"';
  if ('method' in m) {
    if (typeof m.method !== 'string') return '"method" must be a string';
    if ('id' in m && typeof m.id !== 'string' && !isFiniteNumber(m.id))
      return '"id" must be a string or a finite number';
    return undefined;
  }
  if (typeof m.id !== 'string' && !isFiniteNumber(m.id)) return 'a response needs an id';
  if (!('result' in m) && !('error' in m)) return 'a response needs "result" or "error"';
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
