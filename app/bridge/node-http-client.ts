import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { lazyBuiltin } from '../platform/lazy-builtin.js';
import { onAbort, type ExchangeSignal } from './exchange-abort.js';
import { createMessageMeter } from './message-size.js';

// Loaded on first use: https (and with it tls) costs a bridge for a plain-http server over a
// megabyte of memory for nothing, and http is not needed before a bridge's first answer when
// that comes from the era cache (run-bridge.ts loads it right after; see warmUpHttp).
const https = lazyBuiltin<typeof Https>('node:https');
const http = lazyBuiltin<typeof Http>('node:http');

/** Loads node:http (and node:https for an https URL) ahead of the first request. */
export function warmUpHttp(url: string): void {
  http();
  if (url.startsWith('https:')) https();
}

/** What the bridge sends upstream: headers are a plain record, the body a string. */
export interface UpstreamRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: ExchangeSignal;
  /** The largest message the response may carry (one SSE event, or the whole body). */
  maxMessageBytes?: number;
}

/** A response body: read chunk by chunk, or given up on. */
export interface UpstreamBody {
  /** Hands each chunk to `onChunk`; settles when the body ends, rejects if it breaks off. */
  consume(onChunk: (chunk: Buffer) => void): Promise<void>;
  /** Stop reading. A body that is not a stream is drained so its connection can be reused. */
  cancel(): Promise<void>;
}

/** The part of a fetch `Response` the bridge's lean transport uses. */
export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: UpstreamBody | null;
  text(): Promise<string>;
}

/** How long cancelling a plain body waits for the rest of it before moving on. */
const DRAIN_WAIT_MS = 1000;

/** Like undici's default: a server that never answers fails the request instead of hanging it. */
const HEADERS_TIMEOUT_MS = 300_000;

// One keep-alive pool per scheme for the bridge's lifetime: every MCP message is a POST to the
// same origin, so reusing connections removes a TCP (and TLS) handshake per call.
let httpAgent: Http.Agent | undefined;
let httpsAgent: Http.Agent | undefined;
function agentFor(url: URL): Http.Agent {
  if (url.protocol === 'https:') {
    return (httpsAgent ??= new (https().Agent)({ keepAlive: true, scheduling: 'lifo' }));
  }
  return (httpAgent ??= new (http().Agent)({ keepAlive: true, scheduling: 'lifo' }));
}

/**
 * What node:http derives from a URL (its urlToHttpOptions), once per URL instead of on every
 * request: userinfo becomes Basic auth, an IPv6 host loses its brackets. Bounded: the URLs of
 * one bridge differ at most in a rotated query secret.
 */
const targets = new Map<string, Http.RequestOptions>();
function targetOf(url: URL): Http.RequestOptions {
  let target = targets.get(url.href);
  if (!target) {
    const { protocol, hostname, port, username, password, pathname, search } = url;
    target = {
      protocol,
      hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
      path: `${pathname}${search}`,
      ...(port !== '' ? { port: Number(port) } : {}),
      ...(username || password
        ? { auth: `${decodeURIComponent(username)}:${decodeURIComponent(password)}` }
        : {}),
    };
    if (targets.size >= 8) targets.clear();
    targets.set(url.href, target);
  }
  return target;
}

/**
 * One HTTP exchange on node:http(s). The bridge uses this instead of the global fetch, whose
 * first use loads undici (~50 ms and several MB) and whose per-request overhead is several times
 * that of node:http. Redirects are never followed here (the caller decides, within the origin);
 * network failures reject with the socket error, whose `code` (ECONNREFUSED…) says whether the
 * request can have left this machine; an abort rejects with an `AbortError`.
 */
export function nodeHttpRequest(url: URL, init: UpstreamRequest): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const mod = url.protocol === 'https:' ? https() : http();
    const signal = init.signal;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const req = mod.request({
      ...targetOf(url),
      method: init.method,
      headers,
      agent: agentFor(url),
    });
    if (signal) {
      // Not node:http's `signal` option: that one also tracks the request's end with a stream
      // finished() helper, a fifth of the cost of building every request. The request's
      // `close` comes once its response was read to the end (or it failed).
      req.once(
        'close',
        onAbort(signal, () => req.destroy(abortError())),
      );
    }
    const timer = setTimeout(() => {
      req.destroy(
        Object.assign(new Error(`no response within ${HEADERS_TIMEOUT_MS / 1000} s`), {
          code: 'UND_ERR_HEADERS_TIMEOUT',
        }),
      );
    }, HEADERS_TIMEOUT_MS);
    timer.unref();
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(new NodeHttpResponse(url, res, init.maxMessageBytes, init.signal));
    });
    req.end(init.body);
  });
}

class NodeHttpResponse implements UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: UpstreamBody;

  constructor(
    url: URL,
    res: Http.IncomingMessage,
    maxMessageBytes: number | undefined,
    signal: ExchangeSignal | undefined,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.url = url.href;
    this.headers = {
      get: (name) => {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
    const isStream = (res.headers['content-type'] ?? '').includes('text/event-stream');
    this.body = {
      consume: (onChunk) =>
        consumeBody(
          res,
          signal,
          onChunk,
          maxMessageBytes === undefined
            ? undefined
            : createMessageMeter(isStream ? 'event-stream' : 'json', maxMessageBytes),
        ),
      cancel: () => {
        // An endless event stream must be cut. Any other body is drained, and we wait for its
        // end (briefly) so the keep-alive connection is back in the pool for the next request.
        if (isStream) {
          res.destroy();
          return Promise.resolve();
        }
        if (res.readableEnded || res.destroyed) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, DRAIN_WAIT_MS);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          res.once('end', done).once('close', done).once('error', done);
          res.resume();
        });
      },
    };
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    await this.body.consume((chunk) => chunks.push(chunk));
    return chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
  }
}

/** Events rather than async iteration: this runs for every message, and is half the cost. */
function consumeBody(
  res: Http.IncomingMessage,
  signal: ExchangeSignal | undefined,
  onChunk: (chunk: Buffer) => void,
  meter: ((chunk: Buffer) => void) | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!meter) {
      res.on('data', onChunk);
    } else {
      // Over the limit: the connection is cut at once, so nothing more is read or buffered.
      res.on('data', (chunk: Buffer) => {
        try {
          meter(chunk);
        } catch (error) {
          res.removeAllListeners('data');
          res.destroy();
          reject(error as Error);
          return;
        }
        onChunk(chunk);
      });
    }
    res.once('end', resolve);
    // Ended by our own abort (the request was settled): an AbortError, not a network failure.
    res.once('error', (error) => reject(signal?.aborted ? abortError() : error));
    // A connection that closes before the body is complete is an error, not an end.
    res.once('close', () =>
      res.complete ? resolve() : reject(signal?.aborted ? abortError() : prematureClose()),
    );
  });
}

function abortError(): Error {
  return Object.assign(new Error('the exchange was ended by the bridge'), { name: 'AbortError' });
}

function prematureClose(): Error {
  return Object.assign(new Error('the connection closed before the response was complete'), {
    code: 'ECONNRESET',
  });
}
