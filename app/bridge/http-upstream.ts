import type { AsyncLocalStorage } from 'node:async_hooks';
import type * as SdkHttp from './sdk-http.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CredentialProvider } from '../tokens/credentials.js';
import { describeJsonError } from '../shared/json-error.js';
import { withQuerySecrets } from '../tokens/url-secrets.js';
import { LeanHttpError, LeanHttpTransport } from './lean-http-transport.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  createMessageMeter,
} from './message-size.js';
import { ExchangeAbort, toAbortSignal, type ExchangeSignal } from './exchange-abort.js';
import { nodeHttpRequest, type UpstreamResponse } from './node-http-client.js';
import { idKey, isRequest, type Id, type Message } from './protocol.js';
import { ReopenThrottle } from './reopen-throttle.js';
import { monotonicMs } from '../platform/monotonic-ms.js';

/**
 * Which Streamable HTTP client carries the upstream traffic (env SWITCHBOARD_BRIDGE_TRANSPORT):
 * `lean` (default) is our node:http transport without per-message schema validation; `sdk` is
 * the SDK's StreamableHTTPClientTransport on fetch, kept as a switch back.
 */
export type UpstreamTransportKind = 'sdk' | 'lean';
export const DEFAULT_UPSTREAM_TRANSPORT: UpstreamTransportKind = 'lean';

export function upstreamTransportKind(env: NodeJS.ProcessEnv): UpstreamTransportKind {
  const v = env.SWITCHBOARD_BRIDGE_TRANSPORT;
  return v === 'sdk' || v === 'lean' ? v : DEFAULT_UPSTREAM_TRANSPORT;
}

type SdkModule = typeof SdkHttp;
interface SdkSupport {
  sdk: SdkModule;
  AsyncLocalStorage: typeof AsyncLocalStorage;
}
let sdkSupport: SdkSupport | undefined;

/**
 * Loads what `kind` needs before an upstream is built. The SDK transport pulls in zod, the
 * SDK's schemas and its OAuth code, so it is only loaded when chosen.
 */
export async function loadUpstreamTransport(kind: UpstreamTransportKind): Promise<void> {
  if (kind !== 'sdk' || sdkSupport) return;
  const [sdk, hooks] = await Promise.all([import('./sdk-http.js'), import('node:async_hooks')]);
  sdkSupport = { sdk, AsyncLocalStorage: hooks.AsyncLocalStorage };
}

/** The part of a Streamable HTTP client transport HttpUpstream drives. */
type InnerTransport = Transport & {
  readonly sessionId: string | undefined;
  setProtocolVersion(version: string): void;
  terminateSession(): Promise<void>;
};

/** What the bridge core needs from the upstream beyond the SDK's `Transport`. */
export interface Upstream extends Transport {
  /** Settles once the standalone GET stream has answered (opened, refused or failed). */
  readonly getStreamReady: Promise<void>;
  readonly sessionId: string | undefined;
  setProtocolVersion(version: string): void;
  /** DELETE the session (best effort). */
  terminateSession(): Promise<void>;
  /** Classifies an error thrown by `send()`. */
  classify(error: unknown): UpstreamFailure;
  /**
   * The response stream of request `id` ended without its answer and will not be resumed;
   * `cause` when it was cut for a reason the answer should name (an oversized message).
   */
  onstreamlost?: (id: Id, cause?: Error) => void;
  /**
   * Request `id` is settled (answered, cancelled, refused): end its HTTP exchange(s), so a
   * server that keeps the stream open cannot hold a socket per forgotten request. `answered`:
   * the server gets a moment to close the stream itself, which keeps the connection reusable.
   */
  endExchange(id: Id, answered?: boolean): void;
  /** Fingerprint of the token sent with the last request, for audit. */
  readonly fingerprint: string | undefined;
  /** The standalone GET stream, once open, could not be re-opened: the server lost the session. */
  onsessionlost?: () => void;
}

export interface UpstreamFailure {
  kind: 'credential' | 'network' | 'http' | 'too-large' | 'other';
  httpStatus: number | null;
  /** Certainly never reached the server: safe to retry any method. */
  neverSent: boolean;
  /** The server no longer knows our session (404, or a 400 that says so). */
  sessionLost: boolean;
  /** The project's endpoint moved (a per-tenant endpoint came or went): nothing was sent. */
  moved?: boolean;
  /** A message for the client: names the fix, never a secret. */
  detail: string;
}

/** Thrown by an exchange when there is no credential to send; nothing went on the wire. */
export class CredentialUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'CredentialUnavailableError';
  }
}

/** A network failure, with whether the request can have reached the server. */
export class UpstreamNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly neverSent: boolean,
  ) {
    super(message);
    this.name = 'UpstreamNetworkError';
  }
}

// Errors that happen before a single byte of the request left this machine.
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'EADDRNOTAVAIL',
]);

/** SSE reconnection budget: well above the SDK default of 2 so short outages heal. */
const RECONNECTION = {
  initialReconnectionDelay: 300,
  maxReconnectionDelay: 3000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 12,
};
/** How long a resumable response stream may stay closed before we give up on it. */
const RESUME_GRACE_MS = RECONNECTION.maxReconnectionDelay + 2000;
/** How long a server may keep an answered request's stream open before the bridge cuts it. */
const ANSWERED_CLOSE_GRACE_MS = 1000;
/** Lets the SDK's SSE parser deliver what arrived before a stream ended. */
const DRAIN_GRACE_MS = 400;

interface SendContext {
  id: Id | undefined;
  /** Per-message headers (2026-07-28 era), for the SDK transport's fetch. */
  headers?: Record<string, string>;
}

/** Computes the extra HTTP headers one outgoing message needs (the era layer's). */
export type MessageHeaders = (message: Message) => Record<string, string> | undefined;

export interface HttpUpstreamOptions {
  url: URL;
  /** Non-secret headers configured on the project. */
  headers: Record<string, string>;
  credentials: CredentialProvider;
  /** Called when a request failed with 401/403 so the caller can record the state. */
  onAuthRejected?: (status: number) => void;
  /** Default `lean`; `sdk` requires `loadUpstreamTransport('sdk')` first. */
  transport?: UpstreamTransportKind;
  /** The largest single message accepted from the server (see message-size.ts). */
  maxMessageBytes?: number;
}

/**
 * A Streamable HTTP client transport (lean or the SDK's) whose every HTTP exchange adds the
 * credential, classifies network failures and notices when the standalone GET stream is up,
 * and whose request SSE streams are watched so a dropped stream becomes an answer.
 */
export class HttpUpstream implements Upstream {
  onmessage?: Transport['onmessage'];
  onerror?: (error: Error) => void;
  onclose?: () => void;
  onstreamlost?: (id: Id, cause?: Error) => void;
  onsessionlost?: () => void;

  readonly getStreamReady: Promise<void>;
  private markGetReady!: () => void;
  private readonly inner: InnerTransport;
  /** Only for the SDK transport, whose fetch calls do not say which request they carry. */
  private readonly context: AsyncLocalStorage<SendContext> | undefined;
  private readonly graceTimers = new Map<Id, NodeJS.Timeout>();
  private lastFingerprint: string | undefined;
  private hadGetStream = false;
  private closed = false;
  private readonly maxBytes: number;
  /** Each unsettled request's own abort, shared by its POST and any resumption GETs. */
  private readonly exchanges = new Map<string, ExchangeAbort>();
  /** Requests settled recently: a transport's late resumption of one is refused, not sent. */
  private readonly settled = new Set<string>();
  /**
   * Answered requests whose response stream has not ended yet, with when to cut it. Nearly
   * every stream ends right after its answer, so one sweep timer serves them all instead of a
   * timer (and an abort) per request. Insertion order is deadline order.
   */
  private readonly closing = new Map<string, { controller: ExchangeAbort; deadline: number }>();
  private closingTimer: NodeJS.Timeout | undefined;
  /** The `retry` floor and back-off for SSE reopens, the same for both transports. */
  private readonly reopens = new ReopenThrottle({
    growFactor: RECONNECTION.reconnectionDelayGrowFactor,
    maxDelayMs: RECONNECTION.maxReconnectionDelay,
  });
  private messageHeaders: MessageHeaders | undefined;

  constructor(private readonly opts: HttpUpstreamOptions) {
    this.getStreamReady = new Promise((resolve) => (this.markGetReady = resolve));
    this.maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if ((opts.transport ?? DEFAULT_UPSTREAM_TRANSPORT) === 'sdk') {
      if (!sdkSupport) throw new Error("call loadUpstreamTransport('sdk') first");
      const context = new sdkSupport.AsyncLocalStorage<SendContext>();
      this.context = context;
      this.inner = new sdkSupport.sdk.StreamableHTTPClientTransport(opts.url, {
        fetch: (input, init) => this.sdkFetch(input, init, context.getStore()),
        reconnectionOptions: RECONNECTION,
      });
    } else {
      this.context = undefined;
      this.inner = new LeanHttpTransport(opts.url, {
        fetch: (url, init, ctx) =>
          this.exchange(
            init.method,
            { ...init.headers },
            ctx,
            init.signal,
            (headers, signal, query) =>
              nodeHttpRequest(withQuerySecrets(url, query), {
                ...init,
                headers,
                signal,
                maxMessageBytes: this.maxBytes,
              }),
          ),
        reconnectionOptions: RECONNECTION,
        onStreamEnd: (id, resumable, failed, cause) =>
          this.streamEnded(id, resumable, failed, cause),
        onBodyRead: (id) => this.exchanges.delete(idKey(id)),
        messageHeaders: (m) => this.messageHeaders?.(m),
      });
    }
    this.inner.onmessage = (message) => this.onmessage?.(message);
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => this.onclose?.();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  get fingerprint(): string | undefined {
    return this.lastFingerprint;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: Message): Promise<void> {
    if (!this.context) return this.inner.send(message);
    const id = isRequest(message) ? message.id : undefined;
    const headers = this.messageHeaders?.(message);
    return this.context.run({ id, ...(headers ? { headers } : {}) }, () =>
      this.inner.send(message),
    );
  }

  /** Sets how per-message headers are computed (the era layer, once it knows the era). */
  setMessageHeaders(fn: MessageHeaders | undefined): void {
    this.messageHeaders = fn;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion(version);
  }

  async terminateSession(): Promise<void> {
    await this.inner.terminateSession();
  }

  endExchange(id: Id, answered = false): void {
    const key = idKey(id);
    this.cancelGrace(id);
    const controller = this.exchanges.get(key);
    if (controller) {
      this.exchanges.delete(key);
      if (!answered) controller.abort();
      else this.closeSoon(key, controller);
    }
    this.settled.add(key);
    this.reopens.forget(key);
    // Bounded: only a resumption racing the settlement needs to find it here.
    if (this.settled.size > 1024) this.settled.delete(this.settled.values().next().value!);
  }

  /** The server gets a moment to end an answered request's stream itself (see `closing`). */
  private closeSoon(key: string, controller: ExchangeAbort): void {
    this.closing.set(key, { controller, deadline: monotonicMs() + ANSWERED_CLOSE_GRACE_MS });
    if (this.closingTimer) return;
    this.closingTimer = setTimeout(() => this.sweepClosing(), ANSWERED_CLOSE_GRACE_MS);
    this.closingTimer.unref();
  }

  private sweepClosing(): void {
    this.closingTimer = undefined;
    const now = monotonicMs();
    for (const [key, entry] of this.closing) {
      if (entry.deadline > now) {
        this.closingTimer = setTimeout(() => this.sweepClosing(), entry.deadline - now);
        this.closingTimer.unref();
        return;
      }
      this.closing.delete(key);
      entry.controller.abort();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.exchanges.values()) controller.abort();
    this.exchanges.clear();
    for (const entry of this.closing.values()) entry.controller.abort();
    this.closing.clear();
    if (this.closingTimer) clearTimeout(this.closingTimer);
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
    this.markGetReady();
    await this.inner.close();
  }

  classify(error: unknown): UpstreamFailure {
    if (error instanceof CredentialUnavailableError) {
      return {
        kind: 'credential',
        httpStatus: null,
        neverSent: true,
        sessionLost: false,
        detail: error.message,
      };
    }
    const tooLarge = findTooLarge(error);
    if (tooLarge) {
      return {
        kind: 'too-large',
        httpStatus: null,
        neverSent: false,
        sessionLost: false,
        detail: tooLarge.message,
      };
    }
    if (error instanceof UpstreamNetworkError) {
      return {
        kind: 'network',
        httpStatus: null,
        neverSent: error.neverSent,
        sessionLost: false,
        detail: error.message,
      };
    }
    if (
      error instanceof LeanHttpError ||
      (sdkSupport && error instanceof sdkSupport.sdk.StreamableHTTPError)
    ) {
      const status = typeof error.code === 'number' && error.code > 0 ? error.code : null;
      const hasSession = this.inner.sessionId !== undefined;
      const sessionLost =
        hasSession &&
        (status === 404 ||
          (status === 400 &&
            (error instanceof LeanHttpError
              ? error.mentionsSession
              : /session/i.test(error.message))));
      return {
        kind: 'http',
        httpStatus: status,
        neverSent: false,
        sessionLost,
        detail:
          status !== null
            ? `HTTP ${status}`
            : error instanceof LeanHttpError
              ? error.message
              : describeOtherFailure(error),
      };
    }
    return {
      kind: 'other',
      httpStatus: null,
      neverSent: false,
      sessionLost: false,
      detail: describeOtherFailure(error),
    };
  }

  /** The SDK transport's fetch: a real fetch, with SSE bodies watched for their end. */
  private async sdkFetch(
    input: string | URL,
    init: RequestInit | undefined,
    ctx: SendContext | undefined,
  ): Promise<Response> {
    const headers = lowerCaseKeys(new Headers(init?.headers).entries());
    if (ctx?.headers) Object.assign(headers, ctx.headers);
    const base = init?.signal ?? undefined;
    const fetched = await this.exchange(
      init?.method ?? 'GET',
      headers,
      ctx,
      base,
      (h, signal, query) =>
        fetch(withQuerySecrets(new URL(String(input)), query), {
          ...init,
          headers: h,
          ...(signal ? { signal: toAbortSignal(signal) } : {}),
        }),
    );
    const response = withoutErrorSession(fetched);
    if (!response.ok || !response.body) return response;
    const requestId = ctx?.id;
    const type = response.headers.get('content-type') ?? '';
    const isStream = type.includes('text/event-stream');
    const meter = createMessageMeter(isStream ? 'event-stream' : 'json', this.maxBytes);
    if (!isStream || requestId === undefined) {
      return new Response(meterStream(response.body, meter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const body = watchStream(response.body, meter, (resumable, failed, cause) =>
      this.streamEnded(requestId, resumable, failed, cause),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  /**
   * One upstream exchange: adds the project's headers and the current credential (none sent
   * when it is missing or expired), turns socket errors into UpstreamNetworkError, notices the
   * standalone GET stream and resumed streams, and records auth rejections.
   */
  private async exchange<R extends RejectableResponse>(
    rawMethod: string,
    baseHeaders: Record<string, string>,
    ctx: SendContext | undefined,
    baseSignal: ExchangeSignal | undefined,
    perform: (
      headers: Record<string, string>,
      signal: ExchangeSignal | undefined,
      query: Readonly<Record<string, string>>,
    ) => Promise<R>,
    retried = false,
  ): Promise<R> {
    const method = rawMethod.toUpperCase();
    const signal = this.exchangeSignal(method, ctx?.id, baseSignal);
    // A stream is the standalone GET stream, or a request's POST and its resumption GETs.
    const streamKey = ctx?.id !== undefined ? idKey(ctx.id) : method === 'GET' ? '' : undefined;
    if (streamKey !== undefined && method === 'GET') await this.reopens.wait(streamKey, signal);
    else if (streamKey !== undefined) this.reopens.claim(streamKey);
    const cred = await this.opts.credentials.current();
    if (!cred.ok) {
      if (method === 'GET' && ctx?.id === undefined) this.markGetReady();
      throw new CredentialUnavailableError(cred.message, cred.reason);
    }
    this.lastFingerprint = cred.fingerprint;
    const headers = baseHeaders;
    for (const [name, value] of Object.entries(this.opts.headers)) {
      headers[name.toLowerCase()] = value;
    }
    for (const [name, value] of Object.entries(cred.headers)) headers[name.toLowerCase()] = value;

    const requestId = ctx?.id;
    const isResume = method === 'GET' && requestId !== undefined;
    if (isResume) this.cancelGrace(requestId);

    let response: R;
    try {
      response = await perform(headers, signal, cred.query ?? {});
    } catch (error) {
      if (method === 'GET' && requestId === undefined) this.markGetReady();
      if (isResume) this.scheduleLost(requestId, DRAIN_GRACE_MS + RESUME_GRACE_MS);
      if (isAbort(error)) throw error;
      const code = networkCode(error);
      throw new UpstreamNetworkError(
        `${this.opts.url.host} unreachable (${code ?? 'network error'})`,
        code,
        code !== undefined && NEVER_SENT_CODES.has(code),
      );
    }
    this.opts.credentials.markUsed();
    if (response.status === 401 || response.status === 403) {
      this.opts.onAuthRejected?.(response.status);
      // The provider may recover (an OAuth refresh) or explain (sign-in / permission needed).
      const rejected = this.opts.credentials.rejected;
      if (rejected && !retried) {
        const status = response.status;
        let again: boolean;
        try {
          again = await rejected({
            status,
            ...header('www-authenticate', response),
            ...(cred.fingerprint ? { fingerprint: cred.fingerprint } : {}),
          });
        } catch (error) {
          await response.body?.cancel().catch(() => undefined);
          throw new CredentialUnavailableError((error as Error).message, 'rejected');
        }
        if (again) {
          await response.body?.cancel().catch(() => undefined);
          return this.exchange(rawMethod, baseHeaders, ctx, baseSignal, perform, true);
        }
        const now = await this.opts.credentials.current();
        if (!now.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new CredentialUnavailableError(now.message, now.reason);
        }
      }
    }

    if (method === 'GET' && requestId === undefined) {
      this.markGetReady();
      if (response.ok) this.hadGetStream = true;
      // A GET that worked before and now gets 404/400 means the session is gone (e.g. the
      // server restarted): recover now rather than at the client's next request, so
      // server-initiated messages keep flowing. (A 404 on the *first* GET may just mean the
      // server has no GET route, so that one is ignored.)
      else if (this.hadGetStream && (response.status === 404 || response.status === 400)) {
        queueMicrotask(() => this.onsessionlost?.());
      }
      return response;
    }
    if (isResume && !response.ok) this.scheduleLost(requestId, 0);
    return response;
  }

  /**
   * The signal for one exchange: a request's POST and its resumptions share the request's own
   * controller (which `close()` aborts too); notifications and the GET stream use the
   * transport's. A resumption of a request already settled is refused before it is sent.
   */
  private exchangeSignal(
    method: string,
    id: Id | undefined,
    baseSignal: ExchangeSignal | undefined,
  ): ExchangeSignal | undefined {
    if (id === undefined) return baseSignal;
    const key = idKey(id);
    if (method === 'GET' && this.settled.has(key)) {
      throw Object.assign(new Error('the request was already settled'), { name: 'AbortError' });
    }
    if (method !== 'GET') {
      this.settled.delete(key);
      // The id is reused: the stream still open for its previous, answered use ends now, so
      // its end is never taken for this request's.
      const previous = this.closing.get(key);
      if (previous) {
        this.closing.delete(key);
        previous.controller.abort();
      }
    }
    let controller = this.exchanges.get(key);
    if (!controller || controller.aborted) {
      controller = new ExchangeAbort();
      this.exchanges.set(key, controller);
    }
    return controller;
  }

  /** Request `id`'s response stream ended: unless resumed in time, its answer is lost. */
  private streamEnded(id: Id, resumable: boolean, failed: boolean, cause?: Error): void {
    if (this.closed || cause?.name === 'AbortError') return; // we ended it: settled already
    const key = idKey(id);
    // Answered: the stream ended after the answer, as it should; nothing is left to cut.
    if (this.closing.delete(key)) return;
    // Settled some other way (its exchange was aborted then): no answer is owed any more.
    if (this.settled.has(key)) return;
    if (cause && findTooLarge(cause)) {
      // Not resumed: the same event would come again. The answer names the limit.
      this.cancelGrace(id);
      this.onstreamlost?.(id, cause);
      return;
    }
    // A resumable stream is picked up again by the transport (GET + Last-Event-ID), which
    // cancels this.
    this.scheduleLost(
      id,
      resumable ? RESUME_GRACE_MS : failed ? DRAIN_GRACE_MS : DRAIN_GRACE_MS * 2,
    );
  }

  private scheduleLost(id: Id, delayMs: number): void {
    if (this.closed) return;
    this.cancelGrace(id);
    const timer = setTimeout(() => {
      this.graceTimers.delete(id);
      this.onstreamlost?.(id);
    }, delayMs);
    timer.unref();
    this.graceTimers.set(id, timer);
  }

  private cancelGrace(id: Id): void {
    const t = this.graceTimers.get(id);
    if (t) {
      clearTimeout(t);
      this.graceTimers.delete(id);
    }
  }
}

/** What `exchange` reads of a response (lean: UpstreamResponse; SDK: fetch's Response). */
type RejectableResponse = Pick<UpstreamResponse, 'ok' | 'status' | 'headers'> & {
  readonly body: { cancel(): Promise<void> } | null;
};

function header(name: string, response: RejectableResponse): { wwwAuthenticate?: string } {
  const value = response.headers.get(name);
  return value ? { wwwAuthenticate: value } : {};
}

/**
 * A client-facing description of a failure whose message we did not write (the SDK's, fetch's,
 * V8's): those quote server content (a Content-Type value, a snippet of the body), so only the
 * kind of failure is named.
 */
function describeOtherFailure(error: unknown): string {
  return (
    quotesServerContent(error) ??
    `unexpected failure (${error instanceof Error ? error.name : typeof error})`
  );
}

/** For the bridge's log: the error's message, unless it is one that quotes server content. */
export function describeUpstreamError(error: Error): string {
  return quotesServerContent(error) ?? error.message;
}

function quotesServerContent(error: unknown): string | undefined {
  if (error instanceof SyntaxError) return `the server sent ${describeJsonError(error)}`;
  const message = error instanceof Error ? error.message : '';
  if (/content.type/i.test(message)) {
    return 'the server answered with an unexpected content type (neither application/json nor text/event-stream)';
  }
  if (/is not valid JSON|in JSON at position|JSON input/.test(message)) {
    return `the server sent ${describeJsonError(error)}`;
  }
  return undefined;
}

/**
 * The SDK transport adopts `mcp-session-id` from any response; only a successful one may
 * establish a session, so error replies lose the header before the SDK sees them.
 */
function withoutErrorSession(response: Response): Response {
  if (response.ok || !response.headers.has('mcp-session-id')) return response;
  const headers = new Headers(response.headers);
  headers.delete('mcp-session-id');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function lowerCaseKeys(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) out[name.toLowerCase()] = value;
  return out;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // undici nests the socket error: TypeError('fetch failed').cause.cause…
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      e = errors[0];
      continue;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const ID_FIELD = Buffer.from('id:');

/**
 * Passes an SSE body through unchanged and reports when it ends: `resumable` when an event id
 * was seen (the SDK then reconnects with Last-Event-ID), `failed` when it broke rather than
 * closing cleanly.
 */
function watchStream(
  body: ReadableStream<Uint8Array>,
  meter: (chunk: Uint8Array) => void,
  onEnd: (resumable: boolean, failed: boolean, cause?: Error) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let resumable = false;
  let ended = false;
  const finish = (failed: boolean, cause?: Error) => {
    if (ended) return;
    ended = true;
    onEnd(resumable, failed, cause);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          finish(false);
          return;
        }
        if (!resumable && hasEventId(value)) resumable = true;
        meter(value);
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        if (error instanceof MessageTooLargeError) void reader.cancel(error).catch(() => undefined);
        finish(true, error as Error);
      }
    },
    cancel(reason) {
      finish(false);
      return reader.cancel(reason);
    },
  });
}

/** A body passed through a message meter: over the limit it errors and the source is cut. */
function meterStream(
  body: ReadableStream<Uint8Array>,
  meter: (chunk: Uint8Array) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        meter(value);
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        void reader.cancel(error).catch(() => undefined);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** The MessageTooLargeError an error is or wraps (fetch and the SDK nest the cause). */
function findTooLarge(error: unknown): MessageTooLargeError | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    if (e instanceof MessageTooLargeError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function hasEventId(chunk: Uint8Array): boolean {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let at = buf.indexOf(ID_FIELD);
  while (at !== -1) {
    if (at === 0 || buf[at - 1] === 0x0a || buf[at - 1] === 0x0d) return true;
    at = buf.indexOf(ID_FIELD, at + 1);
  }
  return false;
}
