import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { containsKnownSecret, redactSecrets, replaceKnownSecrets } from '../shared/redact.js';
import { describeUpstreamError, type Upstream, type UpstreamFailure } from './http-upstream.js';
import type { BadLine } from './stdio-line-transport.js';
import {
  BridgeErrorCode,
  INVALID_REQUEST,
  PARSE_ERROR,
  RESERVED_ID_PREFIX,
  errorResponse,
  idKey,
  isNotification,
  isRequest,
  isReservedId,
  isResponse,
  type Id,
  type Message,
} from './protocol.js';
import { wireText } from './wire-text.js';

export type Direction = 'client->server' | 'server->client' | 'bridge';

/** Sees every message that crosses the bridge (audit); must never throw or block. */
export type BridgeObserver = (direction: Direction, message: Message) => void;

export interface BridgeCoreOptions {
  /** The client side: stdio in production, an in-memory transport in tests. */
  local: Transport & { onbadline?: (bad: BadLine) => void };
  /** Opens a fresh upstream; called at start and again when the session is lost. */
  connect: () => Upstream;
  project: { id: string; name: string };
  log?: (line: string) => void;
  observe?: BridgeObserver;
  /** Longest wait for the standalone GET stream after `initialized` (ms). */
  getStreamWaitMs?: number;
  /** Retries of a message that never reached the server (connection refused). */
  retryDelaysMs?: number[];
  /**
   * The exact secret values the bridge sends upstream (tokens, secret headers, query secrets).
   * A server that echoes one back has it replaced before the message reaches the client, and
   * every message the bridge itself writes to the client is redacted with them.
   */
  secrets?: () => readonly string[];
}

interface Pending {
  id: Id;
  method: string;
  /** The upstream it was last sent on, once send() returned: the answer is due from there. */
  inFlightOn?: Upstream;
}

interface OwnRequest {
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
}

const LIST_CHANGED: Array<[capability: string, method: string]> = [
  ['tools', 'notifications/tools/list_changed'],
  ['resources', 'notifications/resources/list_changed'],
  ['prompts', 'notifications/prompts/list_changed'],
];

/**
 * The bridge: a raw JSON-RPC proxy between a client-facing transport and an upstream. It adds
 * only what a proxy must (see issue 4): the protocol-version header, the GET-stream gate after
 * `initialized`, an answer for every request, session recovery, careful retries, the reserved
 * id prefix, the kill switch. Everything else passes through untouched, both ways.
 */
export class BridgeCore {
  private upstream: Upstream;
  private readonly local: BridgeCoreOptions['local'];
  private readonly pending = new Map<string, Pending>();
  private readonly own = new Map<string, OwnRequest>();
  private ownSeq = 0;
  /** Until `initialized` and the GET stream, messages go one at a time, in order. */
  private ordered = true;
  private sawFirst = false;
  private chain: Promise<void> = Promise.resolve();
  private initRequest: (Message & { id: Id; method: string }) | undefined;
  private serverCapabilities: Record<string, unknown> = {};
  private logLevelParams: unknown;
  private readonly subscriptions = new Set<string>();
  private reinit: Promise<void> | undefined;
  private disconnectedMessage: string | undefined;
  private closing = false;
  private readonly getWaitMs: number;
  private readonly retryDelays: number[];

  /** Called once when the client side closes (stdin EOF). */
  onclientclose?: () => void;

  constructor(private readonly opts: BridgeCoreOptions) {
    this.local = opts.local;
    this.getWaitMs = opts.getStreamWaitMs ?? 1500;
    this.retryDelays = opts.retryDelaysMs ?? [150, 300, 600, 1200];
    this.upstream = this.wire(opts.connect());
  }

  async start(): Promise<void> {
    this.local.onmessage = (m) => this.fromClient(m);
    this.local.onbadline = (bad) => this.badLine(bad);
    this.local.onerror = (e) => this.log(`client transport: ${e.message}`);
    this.local.onclose = () => this.onclientclose?.();
    await this.upstream.start();
    await this.local.start();
  }

  /** The kill switch: a message refuses everything (pending included); undefined resumes. */
  setDisconnected(message: string | undefined): void {
    this.disconnectedMessage = message;
    if (message === undefined) return;
    // Answering each pending request also ends its upstream exchange (settle()).
    for (const p of [...this.pending.values()]) {
      this.answerError(p.id, BridgeErrorCode.DISCONNECTED, message, null, 'disconnected');
    }
  }

  get isDisconnected(): boolean {
    return this.disconnectedMessage !== undefined;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get fingerprint(): string | undefined {
    return this.upstream.fingerprint;
  }

  /** DELETE the session (bounded), then close both sides. */
  async shutdown(deleteTimeoutMs = 500): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const up = this.upstream;
    await Promise.race([up.terminateSession().catch(() => undefined), delay(deleteTimeoutMs)]);
    await up.close().catch(() => undefined);
    await this.local.close().catch(() => undefined);
  }

  // ---- client → server ------------------------------------------------------------------

  private fromClient(m: Message): void {
    this.opts.observe?.('client->server', m);
    if (isRequest(m)) {
      if (isReservedId(m.id)) {
        this.replyError(
          m.id,
          BridgeErrorCode.RESERVED_ID,
          `Switchboard: request ids starting with "${RESERVED_ID_PREFIX}" are reserved for the bridge; use another id.`,
          null,
          'reserved-id',
        );
        return;
      }
      if (this.closing) {
        this.replyError(
          m.id,
          BridgeErrorCode.SHUTTING_DOWN,
          `Switchboard (${this.opts.project.name}): the bridge is shutting down.`,
          null,
          'shutting-down',
        );
        return;
      }
      if (this.disconnectedMessage !== undefined) {
        this.replyError(
          m.id,
          BridgeErrorCode.DISCONNECTED,
          this.disconnectedMessage,
          null,
          'disconnected',
        );
        return;
      }
      this.remember(m);
      this.pending.set(idKey(m.id), { id: m.id, method: m.method });
    } else if (this.disconnectedMessage !== undefined || this.closing) {
      return; // notifications and answers to server requests go nowhere while refused
    } else if (isNotification(m) && m.method === 'notifications/cancelled') {
      // The client gave up on it: no answer is owed any more.
      const requestId = (m as { params?: { requestId?: unknown } }).params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') {
        this.settle(requestId);
      }
    }
    // Order protects the 2025 handshake only: a client that opens with anything but
    // `initialize` (a 2026-07-28 client: `server/discover`, then stateless requests) has none.
    if (this.ordered && !this.sawFirst) {
      this.sawFirst = true;
      if (!(isRequest(m) && m.method === 'initialize')) this.ordered = false;
    }
    if (this.ordered) {
      this.chain = this.chain
        .then(() => this.forwardOrdered(m))
        .catch((e: Error) => this.log(`forwarding failed: ${e.message}`));
    } else {
      void this.forward(m);
    }
  }

  private async forwardOrdered(m: Message): Promise<void> {
    const delivered = await this.forward(m);
    if (isNotification(m) && m.method === 'notifications/initialized') {
      // Server→client requests sent right after init go on the GET stream; wait for it (the
      // transport opens it only once `initialized` was accepted).
      if (delivered) await Promise.race([this.upstream.getStreamReady, delay(this.getWaitMs)]);
      this.ordered = false;
    }
  }

  /** Caches what a re-initialize must replay. */
  private remember(m: Message & { id: Id; method: string }): void {
    const params = (m as { params?: Record<string, unknown> }).params;
    switch (m.method) {
      case 'initialize':
        this.initRequest = m;
        break;
      case 'logging/setLevel':
        this.logLevelParams = params;
        break;
      case 'resources/subscribe':
        if (typeof params?.uri === 'string') this.subscriptions.add(params.uri);
        break;
      case 'resources/unsubscribe':
        if (typeof params?.uri === 'string') this.subscriptions.delete(params.uri);
        break;
    }
  }

  /** Sends `m` upstream (with recovery); resolves true once it was delivered. */
  private async forward(m: Message, attempt = 0, reinits = 0): Promise<boolean> {
    if (this.reinit) await this.reinit.catch(() => undefined);
    const key = isRequest(m) ? idKey(m.id) : undefined;
    if (key !== undefined && !this.pending.has(key)) return false; // answered meanwhile
    const up = this.upstream;
    try {
      await up.send(m);
      const p = key === undefined ? undefined : this.pending.get(key);
      if (p) p.inFlightOn = up;
      return true;
    } catch (error) {
      if (this.closing) return false;
      // Settled meanwhile (cancelled, refused): its exchange was aborted on purpose.
      if (key !== undefined && !this.pending.has(key)) return false;
      const classified = up.classify(error);
      // A client without a session (2026-07-28 is stateless) follows a moved endpoint by a new
      // upstream on the new URL: there is no initialize to replay.
      if (classified.moved && !this.initRequest && reinits < 2) {
        await this.reconnect(up);
        return this.forward(m, attempt, reinits + 1);
      }
      // Only a session this client established can be lost (and replayed): without one, a
      // session-ish refusal is a plain HTTP error, never "the server lost the session".
      const f = this.initRequest ? classified : { ...classified, sessionLost: false };
      this.log(`send ${describe(m)} failed: ${f.detail}`);
      const isInit = isRequest(m) && m.method === 'initialize';
      if (f.sessionLost && !isInit && reinits < 2) {
        try {
          await this.reinitialize(up);
        } catch (e) {
          this.fail(m, {
            ...f,
            detail: `the server lost the session and re-initializing failed (${(e as Error).message})`,
            sessionLost: true,
          });
          return false;
        }
        return this.forward(m, attempt, reinits + 1);
      }
      if (f.kind === 'network' && f.neverSent && attempt < this.retryDelays.length) {
        await delay(this.retryDelays[attempt] ?? 0);
        return this.forward(m, attempt + 1, reinits);
      }
      this.fail(m, f);
      return false;
    }
  }

  // ---- server → client ------------------------------------------------------------------

  private wire(up: Upstream): Upstream {
    up.onmessage = (m) => this.fromServer(up, m as Message);
    up.onerror = (e) => {
      // An abort is the bridge ending a settled request's exchange: nothing went wrong.
      if (isAbort(e) || this.closing || up !== this.upstream) return;
      this.log(`upstream: ${describeUpstreamError(e)}`);
    };
    up.onsessionlost = () => {
      if (this.closing || up !== this.upstream || this.ordered) return;
      if (!this.initRequest) {
        // Stateless client (or none yet): the endpoint moved, so later requests go to the new one.
        this.reconnect(up).catch((e: Error) => this.log(`reconnecting failed: ${e.message}`));
        return;
      }
      this.reinitialize(up).catch((e: Error) => this.log(`re-initializing failed: ${e.message}`));
    };
    up.onstreamlost = (id, cause) => {
      const p = this.pending.get(idKey(id));
      if (p && p.inFlightOn === up && cause) {
        const { code, text } = this.explain(up.classify(cause));
        this.answerError(p.id, code, text, null, 'too-large');
      } else if (p && p.inFlightOn === up) {
        this.answerError(
          p.id,
          BridgeErrorCode.STREAM_LOST,
          this.message(
            'the connection to the server dropped before the answer arrived; the request may have run, so check before retrying',
          ),
          null,
          'stream-lost',
        );
      }
    };
    return up;
  }

  private fromServer(up: Upstream, m: Message): void {
    if (isResponse(m)) {
      if (isReservedId(m.id)) {
        const own = this.own.get(idKey(m.id));
        if (own) {
          this.own.delete(idKey(m.id));
          own.resolve(m);
        }
        return;
      }
      if (up !== this.upstream && !this.reinit) return;
      const key = idKey(m.id);
      const p = this.pending.get(key);
      if (!p) {
        this.log(`dropped a response for ${String(m.id)}: already answered`);
        return;
      }
      this.settle(m.id, up, true);
      if (p.method === 'initialize' && 'result' in m) this.initialized(up, m.result);
    } else if (this.closing || this.disconnectedMessage !== undefined) {
      return;
    }
    const out = this.withoutEchoedSecrets(m);
    this.opts.observe?.('server->client', out);
    void this.local.send(out).catch((e: Error) => this.log(`client write failed: ${e.message}`));
  }

  /**
   * A server that echoes the credential back (in a result, an error, a log notification) would
   * put it into the client's logs and the model's context. The bridge knows the exact values it
   * sent, so a substring check on the text the message arrived as is all most messages cost.
   */
  private withoutEchoedSecrets(m: Message): Message {
    const secrets = this.opts.secrets?.();
    if (!secrets || secrets.length === 0) return m;
    const raw = wireText(m);
    // `\u` and `\/` escapes can spell a secret the raw text does not contain as such.
    const text = raw.includes('\\u') || raw.includes('\\/') ? `${raw}\n${JSON.stringify(m)}` : raw;
    const found = secrets.filter((s) => containsKnownSecret(text, s));
    if (found.length === 0) return m;
    return replaceSecretsDeep(m, found) as Message;
  }

  /**
   * Request `id` needs no answer any more: forget it and end its upstream exchange (at once,
   * or after a short grace when the server answered it).
   */
  private settle(id: Id, up: Upstream = this.upstream, answered = false): boolean {
    const key = idKey(id);
    const p = this.pending.get(key);
    const had = this.pending.delete(key);
    (p?.inFlightOn ?? up).endExchange(id, answered);
    return had;
  }

  private initialized(up: Upstream, result: unknown): void {
    const r = result as { protocolVersion?: unknown; capabilities?: unknown };
    if (typeof r.protocolVersion === 'string') up.setProtocolVersion(r.protocolVersion);
    if (r.capabilities && typeof r.capabilities === 'object') {
      this.serverCapabilities = r.capabilities as Record<string, unknown>;
    }
  }

  // ---- session recovery -----------------------------------------------------------------

  /** One re-initialize at a time, whoever noticed the loss first. */
  private reinitialize(failed: Upstream): Promise<void> {
    if (this.reinit) return this.reinit;
    if (failed !== this.upstream) return Promise.resolve(); // already replaced
    this.reinit = this.doReinitialize(failed).finally(() => (this.reinit = undefined));
    return this.reinit;
  }

  /** A new upstream without a session to replay (a stateless client); one at a time. */
  private reconnect(failed: Upstream): Promise<void> {
    if (this.reinit) return this.reinit;
    if (failed !== this.upstream) return Promise.resolve(); // already replaced
    this.reinit = (async () => {
      this.log('the endpoint moved; continuing on a new upstream');
      const up = this.replaceUpstream(failed, 'the connection to the server moved');
      await up.start();
    })().finally(() => (this.reinit = undefined));
    return this.reinit;
  }

  /**
   * Swaps in a new upstream: requests already delivered on the old one cannot be answered any
   * more (they are told so, with `why`), and the old one is closed.
   */
  private replaceUpstream(old: Upstream, why: string): Upstream {
    for (const p of [...this.pending.values()]) {
      if (p.inFlightOn === old) {
        this.answerError(
          p.id,
          BridgeErrorCode.STREAM_LOST,
          this.message(
            `${why} while this request was running; it may have run, so check before retrying`,
          ),
          null,
          'session-lost',
        );
      }
    }
    old.onmessage = undefined;
    old.onstreamlost = undefined;
    old.onsessionlost = undefined;
    void old.close().catch(() => undefined);
    const up = this.wire(this.opts.connect());
    this.upstream = up;
    return up;
  }

  private async doReinitialize(old: Upstream): Promise<void> {
    const init = this.initRequest;
    if (!init) throw new Error('no initialize to replay');
    this.log('session lost; re-initializing');
    const up = this.replaceUpstream(old, 'the server lost the session');
    await up.start();
    const answer = await this.ownRequest(up, 'initialize', (init as { params?: unknown }).params);
    if ('error' in answer) throw new Error(`initialize was refused: ${answer.error.message}`);
    this.initialized(up, answer.result);
    await up.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await Promise.race([up.getStreamReady, delay(this.getWaitMs)]);
    if (this.logLevelParams !== undefined) {
      await this.ownRequest(up, 'logging/setLevel', this.logLevelParams);
    }
    for (const uri of this.subscriptions) {
      await this.ownRequest(up, 'resources/subscribe', { uri });
    }
    // The new session may list different tools/resources/prompts: tell the client to re-list.
    for (const [capability, method] of LIST_CHANGED) {
      if (this.serverCapabilities[capability] !== undefined) {
        void this.local.send({ jsonrpc: '2.0', method }).catch(() => undefined);
      }
    }
    this.log('session re-established');
  }

  private async ownRequest(
    up: Upstream,
    method: string,
    params: unknown,
  ): Promise<
    (Message & { result: Record<string, unknown> }) | (Message & { error: { message: string } })
  > {
    const id = `${RESERVED_ID_PREFIX}${method.replace(/\W/g, '-')}-${++this.ownSeq}`;
    const answer = new Promise<Message>((resolve, reject) => {
      this.own.set(idKey(id), { resolve, reject });
      const timer = setTimeout(() => {
        this.own.delete(idKey(id));
        reject(new Error(`${method} got no answer`));
      }, 10_000);
      timer.unref();
    });
    const message = { jsonrpc: '2.0', id, method, params } as Message;
    await up.send(message).catch((e: unknown) => {
      this.own.delete(idKey(id));
      throw new Error(up.classify(e).detail);
    });
    return (await answer) as never;
  }

  // ---- answers --------------------------------------------------------------------------

  private fail(m: Message, f: UpstreamFailure): void {
    if (!isRequest(m)) return;
    const { code, text } = this.explain(f);
    this.answerError(m.id, code, text, f.httpStatus, f.kind);
  }

  private explain(f: UpstreamFailure): { code: number; text: string } {
    const name = this.opts.project.name;
    if (f.kind === 'credential')
      return { code: BridgeErrorCode.AUTH, text: this.message(f.detail) };
    if (f.kind === 'too-large') {
      return { code: BridgeErrorCode.MESSAGE_TOO_LARGE, text: this.message(f.detail) };
    }
    if (f.sessionLost) return { code: BridgeErrorCode.SESSION_LOST, text: this.message(f.detail) };
    if (f.kind === 'network') {
      return {
        code: BridgeErrorCode.UNREACHABLE,
        text: this.message(
          `server unreachable (${f.detail}) — check that the server is up and the project URL is right (switchboard project edit ${name} --url …)`,
        ),
      };
    }
    const s = f.httpStatus;
    if (s === 401 || s === 403) {
      return {
        code: BridgeErrorCode.AUTH,
        text: this.message(
          `the server rejected the credential (HTTP ${s}) — token expired or revoked? Rotate it in Switchboard (switchboard token rotate ${name})`,
        ),
      };
    }
    if (s !== null && s >= 500) {
      return {
        code: BridgeErrorCode.UPSTREAM_HTTP,
        text: this.message(`the server failed (HTTP ${s}); try again later`),
      };
    }
    return {
      code: BridgeErrorCode.UPSTREAM_HTTP,
      text: this.message(`the server refused the request (${f.detail})`),
    };
  }

  private message(detail: string): string {
    return `Switchboard (${this.opts.project.name}): ${detail}`;
  }

  /** Answers a pending request once; later answers for the same id are dropped. */
  private answerError(
    id: Id,
    code: number,
    text: string,
    httpStatus: number | null,
    reason: string,
  ): void {
    if (!this.settle(id)) return;
    this.replyError(id, code, text, httpStatus, reason);
  }

  private replyError(
    id: Id | null,
    code: number,
    text: string,
    httpStatus: number | null,
    reason: string,
  ): void {
    const reply = errorResponse(id, code, this.redact(text), {
      httpStatus,
      project: this.opts.project.name,
      reason,
    });
    this.opts.observe?.('bridge', reply);
    void this.local.send(reply).catch(() => undefined);
  }

  private badLine(bad: BadLine): void {
    this.log(`malformed input: ${bad.detail}`);
    const reply =
      bad.kind === 'parse'
        ? errorResponse(null, PARSE_ERROR, this.redact(`Parse error: ${bad.detail}`))
        : errorResponse(bad.id, INVALID_REQUEST, this.redact(`Invalid request: ${bad.detail}`));
    this.opts.observe?.('bridge', reply);
    void this.local.send(reply).catch(() => undefined);
  }

  /** Every message the bridge writes to the client passes through here. */
  private redact(text: string): string {
    return redactSecrets(text, this.opts.secrets?.() ?? []);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }
}

/** A copy of `value` with every occurrence of the secrets in its strings (and keys) replaced. */
function replaceSecretsDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return replaceKnownSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => replaceSecretsDeep(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[replaceSecretsDeep(k, secrets) as string] = replaceSecretsDeep(v, secrets);
    }
    return out;
  }
  return value;
}

function isAbort(e: Error): boolean {
  return e.name === 'AbortError' || /\bAbortError\b|operation was aborted/.test(e.message);
}

function describe(m: Message): string {
  if ('method' in m) return isRequest(m) ? `${m.method} #${String(m.id)}` : m.method;
  return `response #${String((m as { id?: unknown }).id)}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
}
