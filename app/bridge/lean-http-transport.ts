import {
  followWithinOrigin,
  unfollowedRedirect,
  type FetchLike,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import { StringDecoder } from 'node:string_decoder';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamBody, UpstreamRequest, UpstreamResponse } from './node-http-client.js';
import { describeJsonError } from '../shared/json-error.js';
import { MessageTooLargeError } from './message-size.js';
import { isRequest, isResponse, type Id, type Message } from './protocol.js';
import { keepWireText, wireText } from './wire-text.js';

/**
 * Performs one HTTP exchange and also learns which request it is for: the id of the request a
 * POST carries or a GET resumes, `undefined` for notifications, responses and the standalone
 * GET stream.
 */
export type ContextFetch = (
  url: URL,
  init: UpstreamRequest,
  ctx: { id: Id | undefined },
) => Promise<UpstreamResponse>;

export interface ReconnectionOptions {
  initialReconnectionDelay: number;
  maxReconnectionDelay: number;
  reconnectionDelayGrowFactor: number;
  maxRetries: number;
}

export interface LeanHttpTransportOptions {
  fetch: ContextFetch;
  reconnectionOptions: ReconnectionOptions;
  /**
   * The SSE stream carrying request `id`'s answer ended (after everything in it was delivered):
   * `resumable` when it had an event id, `failed` when it broke rather than closed.
   */
  onStreamEnd?: (id: Id, resumable: boolean, failed: boolean, cause?: Error) => void;
  /** Request `id`'s JSON response body was read to its end: its exchange is over. */
  onBodyRead?: (id: Id) => void;
  /** Extra headers for one outgoing POST (the 2026-07-28 era's per-message headers). */
  messageHeaders?: (message: Message) => Record<string, string> | undefined;
}

/**
 * An HTTP status (or -1 for an unusable response) from the upstream; same message shape as the
 * SDK's StreamableHTTPError so diagnostics read the same with either transport.
 */
export class LeanHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The error body said "session" (server-everything's 400 for a lost session). */
    readonly mentionsSession = false,
    /**
     * The error body (within the message limit), for the era layer to read a JSON-RPC error
     * from; never put in a message, it is server content.
     */
    readonly body?: string,
  ) {
    super(`Streamable HTTP error: ${message}`);
    this.name = 'LeanHttpError';
  }
}

interface StreamOptions {
  /** The request whose answer this stream carries (resumption), if any. */
  id: Id | undefined;
  resumptionToken?: string;
}

/**
 * A Streamable HTTP client transport on a plain HTTP exchange (node:http), for a proxy: messages are JSON-parsed but
 * not schema-validated (the peer on the other side validates), and it loads none of the SDK's
 * zod schemas or auth code, which dominate cold start and per-message CPU. Wire behaviour
 * follows the SDK's StreamableHTTPClientTransport: session and protocol-version headers, the
 * standalone GET stream after `initialized`, SSE resumption with Last-Event-ID and the server's
 * `retry`, a bounded reconnection budget, DELETE on terminateSession, same-origin redirects.
 */
export class LeanHttpTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private _sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private abort: AbortController | undefined;
  private serverRetryMs: number | undefined;
  private readonly reconnectTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly url: URL,
    private readonly opts: LeanHttpTransportOptions,
  ) {}

  get sessionId(): string | undefined {
    return this._sessionId;
  }

  start(): Promise<void> {
    if (this.abort) return Promise.reject(new Error('LeanHttpTransport already started'));
    this.abort = new AbortController();
    return Promise.resolve();
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async close(): Promise<void> {
    for (const t of this.reconnectTimers) clearTimeout(t);
    this.reconnectTimers.clear();
    this.abort?.abort();
    this.onclose?.();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as Message;
    const id = isRequest(m) ? m.id : undefined;
    try {
      if (options?.resumptionToken) {
        this.openStream({ id, resumptionToken: options.resumptionToken }).catch((e: unknown) =>
          this.onerror?.(asError(e)),
        );
        return;
      }
      await this.post(m, id, false);
    } catch (error) {
      this.onerror?.(asError(error));
      throw error;
    }
  }

  private async post(m: Message, id: Id | undefined, retried: boolean): Promise<void> {
    const headers = this.headers();
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
    const extra = this.opts.messageHeaders?.(m);
    if (extra) Object.assign(headers, extra);
    const response = await this.fetch(
      { method: 'POST', headers, body: wireText(m), signal: this.abort?.signal },
      id,
    );
    const sessionId = response.headers.get('mcp-session-id');
    // Only a successful answer establishes a session: error replies that carry an id (some
    // servers stamp one on every response) must not make later requests use a dead session.
    if (sessionId && response.ok) this._sessionId = sessionId;
    if (!response.ok) {
      // The body is read (within the message limit) but never quoted: it is server content.
      const text = await response.text().catch(() => '');
      if (
        response.status === 404 &&
        !retried &&
        this._sessionId !== undefined &&
        isRequest(m) &&
        m.method === 'initialize'
      ) {
        // The spec: a 404 for a request with a session id means start over without it.
        this._sessionId = undefined;
        return this.post(m, id, true);
      }
      throw new LeanHttpError(
        response.status,
        `Error POSTing to endpoint: ${redirectNote(response, this.url) ?? `HTTP ${response.status}`}`,
        /session/i.test(text),
        text,
      );
    }
    if (response.status === 202) {
      await response.body?.cancel();
      if ('method' in m && m.method === 'notifications/initialized' && !('id' in m)) {
        this.openStream({ id: undefined }).catch((e: unknown) => this.onerror?.(asError(e)));
      }
      return;
    }
    if (id === undefined) {
      // Not a request: nothing to read, but the connection must be released.
      await response.body?.cancel();
      return;
    }
    const contentType = response.headers.get('content-type');
    const media = mediaType(contentType);
    if (media === 'text/event-stream') {
      this.readStream(response.body, { id }, false);
    } else if (media === 'application/json') {
      const text = await response.text();
      this.opts.onBodyRead?.(id);
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new LeanHttpError(-1, `the server sent ${describeJsonError(error)}`);
      }
      if (Array.isArray(data)) for (const msg of data) this.deliver(msg);
      else this.deliver(data, text);
    } else {
      await response.body?.cancel();
      // Never quoted: a header value is server content.
      throw new LeanHttpError(
        -1,
        'the server answered with an unexpected content type (neither application/json nor text/event-stream)',
      );
    }
  }

  async terminateSession(): Promise<void> {
    if (!this._sessionId) return;
    try {
      const response = await this.fetch(
        { method: 'DELETE', headers: this.headers(), signal: this.abort?.signal },
        undefined,
      );
      await response.body?.cancel();
      // 405: the server does not let clients end sessions, which the spec allows.
      if (!response.ok && response.status !== 405) {
        throw new LeanHttpError(
          response.status,
          `Failed to terminate session: ${redirectNote(response, this.url) ?? response.statusText}`,
        );
      }
      this._sessionId = undefined;
    } catch (error) {
      this.onerror?.(asError(error));
      throw error;
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this._sessionId) h['mcp-session-id'] = this._sessionId;
    if (this.protocolVersion) h['mcp-protocol-version'] = this.protocolVersion;
    return h;
  }

  private async fetch(init: UpstreamRequest, id: Id | undefined): Promise<UpstreamResponse> {
    const ctx = { id };
    const response = await this.opts.fetch(this.url, init, ctx);
    if (response.status < 300 || response.status >= 400) return response;
    // The SDK's same-origin redirect policy, over our exchange: it reads only the status, the
    // Location header and body.cancel(), which UpstreamResponse has.
    const exchange = (url: string | URL, i?: RequestInit) =>
      this.opts.fetch(url instanceof URL ? url : new URL(url), (i ?? init) as UpstreamRequest, ctx);
    const followed = followWithinOrigin(
      exchange as unknown as FetchLike,
      this.url,
      init as RequestInit,
      response as unknown as Response,
    ) as Promise<UpstreamResponse> | undefined;
    return followed ?? response;
  }

  /** GET an SSE stream: the standalone one (`id` undefined) or the resumption of a request's. */
  private async openStream(options: StreamOptions): Promise<void> {
    try {
      const headers = this.headers();
      headers.accept = 'text/event-stream';
      if (options.resumptionToken) headers['last-event-id'] = options.resumptionToken;
      const response = await this.fetch(
        { method: 'GET', headers, signal: this.abort?.signal },
        options.id,
      );
      if (!response.ok) {
        await response.body?.cancel();
        // 405: the server offers no GET stream, which the spec allows.
        if (response.status === 405) return;
        throw new LeanHttpError(
          response.status,
          `Failed to open SSE stream: ${redirectNote(response, this.url) ?? response.statusText}`,
        );
      }
      this.readStream(response.body, options, true);
    } catch (error) {
      this.onerror?.(asError(error));
      throw error;
    }
  }

  /**
   * The server's `retry` as given (or our backoff), as the SDK's transport does; the floor and
   * the back-off across short-lived reopens are HttpUpstream's, for both transports
   * (reopen-throttle.ts).
   */
  private reconnectDelay(attempt: number): number {
    const r = this.opts.reconnectionOptions;
    if (this.serverRetryMs !== undefined) return this.serverRetryMs;
    return Math.min(
      r.initialReconnectionDelay * Math.pow(r.reconnectionDelayGrowFactor, attempt),
      r.maxReconnectionDelay,
    );
  }

  private scheduleReconnection(options: StreamOptions, attempt: number): void {
    const max = this.opts.reconnectionOptions.maxRetries;
    if (attempt >= max) {
      this.onerror?.(new Error(`Maximum reconnection attempts (${max}) exceeded.`));
      return;
    }
    const timer = setTimeout(() => {
      this.reconnectTimers.delete(timer);
      this.openStream(options).catch((error: unknown) => {
        if (asError(error).name === 'AbortError') return; // settled meanwhile: nothing to resume
        this.onerror?.(new Error(`Failed to reconnect SSE stream: ${asError(error).message}`));
        this.scheduleReconnection(options, attempt + 1);
      });
    }, this.reconnectDelay(attempt));
    this.reconnectTimers.add(timer);
  }

  /**
   * Reads an SSE body to its end. A stream that ends before its answer arrived is resumed with
   * Last-Event-ID when it can be: GET streams always, a POST's once the server sent an event id.
   */
  private readStream(
    body: UpstreamBody | null,
    options: StreamOptions,
    reconnectable: boolean,
  ): void {
    if (!body) return;
    let lastEventId: string | undefined;
    let gotResponse = false;
    const parser = new SseParser({
      onId: (eventId) => (lastEventId = eventId),
      onRetry: (ms) => (this.serverRetryMs = ms),
      onEvent: (event, data) => {
        if (event !== '' && event !== 'message') return;
        if (this.deliverText(data)) gotResponse = true;
      },
    });
    const resumeIfNeeded = () => {
      const canResume = reconnectable || lastEventId !== undefined;
      if (canResume && !gotResponse && this.abort && !this.abort.signal.aborted) {
        this.scheduleReconnection({ id: options.id, resumptionToken: lastEventId }, 0);
      }
    };
    void (async () => {
      const decoder = new Utf8Chunks();
      let failed = false;
      let cause: Error | undefined;
      try {
        await body.consume((chunk) => parser.push(decoder.decode(chunk)));
        parser.push(decoder.end());
      } catch (error) {
        failed = true;
        cause = asError(error);
        // An abort is the bridge ending the exchange itself: nothing to report.
        if (cause.name !== 'AbortError') {
          this.onerror?.(new Error(`SSE stream disconnected: ${cause.message}`));
        }
      }
      if (options.id !== undefined) {
        this.opts.onStreamEnd?.(options.id, lastEventId !== undefined, failed, cause);
      }
      // A stream we cut (its request was settled, or it carried an oversized message) stays cut.
      if (cause instanceof MessageTooLargeError || cause?.name === 'AbortError') return;
      resumeIfNeeded();
    })();
  }

  /** Parses an event's data and hands it on; parse errors go to onerror. */
  private deliverText(text: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.onerror?.(new Error(`the server sent an event with ${describeJsonError(error)}`));
      return false;
    }
    return this.deliver(value, text);
  }

  /** Hands one message on (with the text it came as, to forward); true for a response. */
  private deliver(value: unknown, text?: string): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.onerror?.(new Error('Upstream sent a message that is not a JSON-RPC object'));
      return false;
    }
    const message = value as Message;
    if (text !== undefined) keepWireText(message, text);
    this.onmessage?.(message as JSONRPCMessage);
    return isResponse(message);
  }
}

/** The SDK's wording for a redirect left unfollowed; it reads status, url and Location only. */
function redirectNote(response: UpstreamResponse, url: URL): string | undefined {
  return unfollowedRedirect(response as unknown as Response, url);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function mediaType(contentType: string | null): string | undefined {
  if (!contentType) return undefined;
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/**
 * UTF-8 text of a byte stream, chunk by chunk: node's StringDecoder (a character cut between
 * chunks waits for its rest; one cut off by the end becomes U+FFFD). The decoder is made only
 * once a chunk ends inside a character: until then a chunk is whole characters and decodes on
 * its own, and most answers are one such chunk (a decoder per stream was ~20 µs of a call).
 * A leading BOM is dropped, as a TextDecoder (and the event-stream format) does.
 */
export class Utf8Chunks {
  private decoder: StringDecoder | undefined;
  private first = true;

  decode(chunk: Buffer): string {
    let text: string;
    if (this.decoder) text = this.decoder.write(chunk);
    else if (chunk.length === 0 || chunk[chunk.length - 1]! < 0x80) text = chunk.toString('utf8');
    else text = (this.decoder = new StringDecoder('utf8')).write(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** What a character cut off by the end of the stream decodes to (U+FFFD), if any. */
  end(): string {
    return this.decoder?.end() ?? '';
  }
}

interface SseHandlers {
  onEvent: (event: string, data: string) => void;
  onId: (id: string) => void;
  onRetry: (ms: number) => void;
}

/**
 * The event-stream format (WHATWG HTML §9.2.6) as far as MCP uses it: `data`, `event`, `id`
 * and `retry` fields, comments, any of CRLF / LF / CR as line ends, events split across chunks.
 */
export class SseParser {
  /** Text of the current, unfinished line, in pieces. */
  private pending: string[] = [];
  private data: string[] = [];
  private event = '';
  private sawCr = false;

  constructor(private readonly on: SseHandlers) {}

  push(text: string): void {
    if (text === '') return;
    let s = text;
    // A CR that ended the previous chunk already ended its line: skip the LF of that CRLF.
    if (this.sawCr && s.charCodeAt(0) === 0x0a) s = s.slice(1);
    this.sawCr = false;
    // Only the new text is scanned, once, so a large event in many chunks stays linear.
    let start = 0;
    let lf = s.indexOf('\n');
    let cr = s.indexOf('\r');
    for (;;) {
      if (lf !== -1 && lf < start) lf = s.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = s.indexOf('\r', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      const piece = s.slice(start, end);
      this.line(this.pending.length > 0 ? this.pending.join('') + piece : piece);
      this.pending = [];
      if (end === cr && s.charCodeAt(end + 1) === 0x0a) {
        start = end + 2;
      } else {
        start = end + 1;
        if (end === cr && start === s.length) this.sawCr = true;
      }
    }
    if (start < s.length) this.pending.push(start === 0 ? s : s.slice(start));
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.on.onEvent(this.event, this.data.join('\n'));
      this.data = [];
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        // An empty id would reset the resumption point; like the SDK, keep the last one.
        if (value !== '' && !value.includes('\0')) this.on.onId(value);
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.on.onRetry(Number(value));
        break;
      default:
        break;
    }
  }
}
