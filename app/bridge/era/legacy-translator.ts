/**
 * A 2025-era client in front of a 2026-07-28 server: the bridge plays the stateless client the
 * server expects and the sessionful server the client expects (research §3.2's table).
 * `initialize` is answered from `server/discover`; `ping`, `logging/setLevel` and
 * `resources/(un)subscribe` are answered here; every request is stamped with the `_meta`
 * envelope; `subscriptions/listen` carries list-changed and resource updates; `input_required`
 * rounds become ordinary sampling / elicitation / roots requests to the client, and the client
 * sees only its own request answered, once.
 */
import {
  BridgeErrorCode,
  RESERVED_ID_PREFIX,
  errorResponse,
  idKey,
  isNotification,
  isRequest,
  isResponse,
  type Id,
  type Message,
} from '../protocol.js';
import { LEGACY_VERSIONS, META, MODERN_VERSION, type DiscoverResult } from './modern-wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the translator needs from the era upstream around it. */
export interface TranslatorLink {
  /** Sends one message to the server (modern headers are added on the way). */
  send(m: Message): Promise<void>;
  /** Hands a message to the bridge core, as if the server had sent it. */
  toClient(m: Message): void;
  /** Ends the HTTP exchange of request `id` (aborting it is the era's cancellation). */
  abort(id: Id, answered?: boolean): void;
  /** The response stream of the client's request `id` broke (`cause`: cut for a reason). */
  streamLost(id: Id, cause?: Error): void;
  /** A one-line reason an upstream send failed, for an error answer. */
  describeFailure(error: unknown): string;
  log(line: string): void;
  project: string;
}

/** The spec leaves the bound to clients; mcp-remote uses the same numbers. */
export const MAX_INPUT_ROUNDS = 10;
export const MAX_INPUTS_PER_ROUND = 8;
const LISTEN_REOPEN_LIMIT = 8;
const LISTEN_BACKOFF_MS = 250;

interface Call {
  clientId: Id;
  method: string;
  params: Obj;
  /** The id of the leg in flight (the client's own id for the first). */
  legId: Id;
  round: number;
  requestState: string | undefined;
  responses: Obj;
  /** Input request key → the id we asked the client with, while unanswered. */
  awaiting: Map<string, Id>;
  cancelled: boolean;
  /** Already re-issued once after a broken stream. */
  reissued: boolean;
}

const ANSWERED_HERE = new Set([
  'ping',
  'logging/setLevel',
  'resources/subscribe',
  'resources/unsubscribe',
]);
const DROPPED = new Set(['notifications/initialized', 'notifications/roots/list_changed']);

export class LegacyTranslator {
  private clientCapabilities: Obj = {};
  private clientInfo: Obj | undefined;
  private logLevel: string | undefined;
  private readonly subscriptions = new Set<string>();
  private readonly legs = new Map<string, Call>();
  private readonly byClientId = new Map<string, Call>();
  private readonly inputs = new Map<string, { call: Call; key: string }>();
  private seq = 0;
  private listenId: Id | undefined;
  private listenFailures = 0;
  private listenTimer: NodeJS.Timeout | undefined;
  private markListenReady!: () => void;
  private closed = false;
  /** Settles once the change stream is acknowledged (or there is none to open). */
  readonly listenReady: Promise<void>;

  constructor(
    private readonly discover: DiscoverResult,
    private readonly link: TranslatorLink,
  ) {
    this.listenReady = new Promise((resolve) => (this.markListenReady = resolve));
  }

  close(): void {
    this.closed = true;
    if (this.listenTimer) clearTimeout(this.listenTimer);
    this.markListenReady();
  }

  /** Answers the client's `initialize` from the server's DiscoverResult. */
  initialize(m: Message & { id: Id }): void {
    const params = (m as { params?: unknown }).params;
    const p = isObj(params) ? params : {};
    if (isObj(p.capabilities)) this.clientCapabilities = p.capabilities;
    if (isObj(p.clientInfo)) this.clientInfo = p.clientInfo;
    const asked = p.protocolVersion;
    const version =
      typeof asked === 'string' && LEGACY_VERSIONS.includes(asked) ? asked : LEGACY_VERSIONS[0];
    const meta = isObj(this.discover._meta) ? this.discover._meta : {};
    const serverInfo = isObj(meta[META.serverInfo])
      ? meta[META.serverInfo]
      : { name: 'unknown', version: '0' };
    const result: Obj = {
      protocolVersion: version,
      // Raw: capabilities this bridge does not know about still reach the client.
      capabilities: this.discover.capabilities,
      serverInfo,
      ...(typeof this.discover.instructions === 'string'
        ? { instructions: this.discover.instructions }
        : {}),
    };
    this.link.toClient({ jsonrpc: '2.0', id: m.id, result } as Message);
  }

  /** The stamped `_meta` envelope: the client's own keys win. */
  stamp(params: unknown): Obj {
    const p = isObj(params) ? params : {};
    const own = isObj(p._meta) ? p._meta : {};
    const meta: Obj = {
      [META.protocolVersion]: MODERN_VERSION,
      [META.clientCapabilities]: this.clientCapabilities,
      ...(this.clientInfo ? { [META.clientInfo]: this.clientInfo } : {}),
      ...(this.logLevel ? { [META.logLevel]: this.logLevel } : {}),
      ...own,
    };
    return { ...p, _meta: meta };
  }

  // ---- client → server ------------------------------------------------------------------

  async fromClient(m: Message): Promise<void> {
    if (isRequest(m)) {
      if (m.method === 'initialize') return this.initialize(m);
      if (ANSWERED_HERE.has(m.method)) return this.answerHere(m);
      return this.startCall(m);
    }
    if (isResponse(m)) return this.inputAnswered(m);
    if (isNotification(m)) {
      if (m.method === 'notifications/initialized') {
        this.openListen();
        return;
      }
      if (DROPPED.has(m.method)) return;
      if (m.method === 'notifications/cancelled') return this.cancel(m);
      await this.link.send(m);
    }
  }

  private answerHere(m: Message & { id: Id; method: string }): void {
    const params = (m as { params?: unknown }).params;
    const p = isObj(params) ? params : {};
    switch (m.method) {
      case 'logging/setLevel':
        if (typeof p.level === 'string') this.logLevel = p.level;
        break;
      case 'resources/subscribe':
        if (typeof p.uri === 'string' && !this.subscriptions.has(p.uri)) {
          this.subscriptions.add(p.uri);
          this.reopenListen();
        }
        break;
      case 'resources/unsubscribe':
        if (typeof p.uri === 'string' && this.subscriptions.delete(p.uri)) this.reopenListen();
        break;
    }
    this.link.toClient({ jsonrpc: '2.0', id: m.id, result: {} } as Message);
  }

  private async startCall(m: Message & { id: Id; method: string }): Promise<void> {
    const params = (m as { params?: unknown }).params;
    const call: Call = {
      clientId: m.id,
      method: m.method,
      params: isObj(params) ? params : {},
      legId: m.id,
      round: 0,
      requestState: undefined,
      responses: {},
      awaiting: new Map(),
      cancelled: false,
      reissued: false,
    };
    this.legs.set(idKey(m.id), call);
    this.byClientId.set(idKey(m.id), call);
    try {
      await this.link.send({
        jsonrpc: '2.0',
        id: m.id,
        method: m.method,
        params: this.stamp(call.params),
      } as Message);
    } catch (error) {
      // The first leg carries the client's own id: the core answers the failure.
      this.forget(call);
      throw error;
    }
  }

  private cancel(m: Message): void {
    const params = (m as { params?: unknown }).params;
    const requestId = isObj(params) ? params.requestId : undefined;
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
    const call = this.byClientId.get(idKey(requestId));
    if (!call) return;
    call.cancelled = true;
    // The era's cancellation: close the leg's HTTP exchange.
    this.link.abort(call.legId);
    for (const inputId of call.awaiting.values()) {
      this.inputs.delete(idKey(inputId));
      this.link.toClient({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: inputId, reason: 'the request that needed this was cancelled' },
      } as Message);
    }
    this.forget(call);
  }

  /** The core settled the client's request `id`: end the exchange of its current leg. */
  endExchange(id: Id, answered?: boolean): void {
    const call = this.byClientId.get(idKey(id));
    this.link.abort(call ? call.legId : id, answered);
  }

  private forget(call: Call): void {
    this.legs.delete(idKey(call.legId));
    this.byClientId.delete(idKey(call.clientId));
    for (const inputId of call.awaiting.values()) this.inputs.delete(idKey(inputId));
    call.awaiting.clear();
  }

  // ---- server → client ------------------------------------------------------------------

  fromServer(m: Message): void {
    if (isResponse(m)) {
      if (this.listenId !== undefined && m.id === this.listenId) return this.listenEnded(m);
      const call = this.legs.get(idKey(m.id));
      if (!call) {
        this.link.toClient(m); // not ours: the core drops what nobody waits for
        return;
      }
      this.legs.delete(idKey(m.id));
      // A leg of our own is settled here (the core settles only the client's ids).
      if (m.id !== call.clientId) this.link.abort(m.id, true);
      if ('error' in m) return this.finish(call, { error: m.error });
      const result = (m as { result: Obj }).result;
      const kind = result.resultType;
      if (kind === 'input_required') return this.inputRound(call, result);
      if (kind !== undefined && kind !== 'complete') {
        return this.finish(call, {
          error: {
            code: -32603,
            message: `Switchboard (${this.link.project}): the server answered with an unknown result type "${String(kind)}".`,
          },
        });
      }
      if (kind === undefined && call.legId === call.clientId) {
        // Untouched: forward the very message (and the text it came as).
        this.byClientId.delete(idKey(call.clientId));
        this.link.toClient(m);
        return;
      }
      const { resultType: _complete, ...rest } = result;
      return this.finish(call, { result: rest });
    }
    if (isNotification(m)) {
      const params = (m as { params?: unknown }).params;
      const meta = isObj(params) && isObj(params._meta) ? params._meta : undefined;
      if (meta && META.subscriptionId in meta) {
        if (m.method === 'notifications/subscriptions/acknowledged') {
          this.listenFailures = 0;
          this.markListenReady();
          return;
        }
        const { [META.subscriptionId]: _sub, ...restMeta } = meta;
        const { _meta: _old, ...restParams } = params as Obj;
        const cleaned =
          Object.keys(restMeta).length > 0 ? { ...restParams, _meta: restMeta } : restParams;
        this.link.toClient({ jsonrpc: '2.0', method: m.method, params: cleaned } as Message);
        return;
      }
    }
    this.link.toClient(m);
  }

  /** The response stream of `id` broke before its answer. */
  streamLost(id: Id, cause?: Error): boolean {
    if (this.listenId !== undefined && id === this.listenId) {
      this.listenEnded(undefined);
      return true;
    }
    const call = this.legs.get(idKey(id));
    if (!call) return false;
    this.legs.delete(idKey(id));
    // A stream cut for a reason (an oversized message) would only be cut again.
    if (!call.reissued && call.method !== 'tools/call' && cause === undefined) {
      // The era has no resumption: a broken stream means the same request again, with a new
      // id. Once, and never for a tool call, which may have run.
      call.reissued = true;
      this.link.log(`${call.method}: the response stream broke; asking again`);
      void this.retry(call);
      return true;
    }
    if (call.legId === call.clientId) {
      this.byClientId.delete(idKey(call.clientId));
      this.link.streamLost(call.clientId, cause);
    } else {
      this.finish(call, {
        error: {
          code: BridgeErrorCode.STREAM_LOST,
          message: `Switchboard (${this.link.project}): the connection to the server dropped before the answer arrived; the request may have run, so check before retrying.`,
        },
      });
    }
    return true;
  }

  private finish(call: Call, outcome: { result: unknown } | { error: unknown }): void {
    this.forget(call);
    if (call.cancelled) return;
    this.link.toClient({ jsonrpc: '2.0', id: call.clientId, ...outcome } as Message);
  }

  private fail(call: Call, code: number, text: string): void {
    this.forget(call);
    if (call.cancelled) return;
    this.link.toClient(
      errorResponse(call.clientId, code, `Switchboard (${this.link.project}): ${text}`, {
        httpStatus: null,
        project: this.link.project,
        reason: 'era-translation',
      }),
    );
  }

  // ---- multi-round-trip input -------------------------------------------------------------

  private inputRound(call: Call, result: Obj): void {
    if (call.cancelled) return this.forget(call);
    call.round++;
    if (call.round > MAX_INPUT_ROUNDS) {
      return this.fail(
        call,
        BridgeErrorCode.ERA_TRANSLATION,
        `the server asked for more input ${MAX_INPUT_ROUNDS} times in a row; giving up on this request.`,
      );
    }
    const requests = isObj(result.inputRequests) ? Object.entries(result.inputRequests) : [];
    if (requests.length > MAX_INPUTS_PER_ROUND) {
      return this.fail(
        call,
        BridgeErrorCode.ERA_TRANSLATION,
        `the server asked for ${requests.length} inputs at once (at most ${MAX_INPUTS_PER_ROUND} are relayed).`,
      );
    }
    for (const [, req] of requests) {
      const refusal = this.refusal(req);
      if (refusal) return this.fail(call, BridgeErrorCode.ERA_TRANSLATION, refusal);
    }
    call.requestState = typeof result.requestState === 'string' ? result.requestState : undefined;
    call.responses = {};
    call.awaiting = new Map();
    for (const [key, req] of requests) {
      const r = req as Obj;
      const inputId = `${RESERVED_ID_PREFIX}input-${++this.seq}`;
      this.inputs.set(idKey(inputId), { call, key });
      call.awaiting.set(key, inputId);
      this.link.toClient({
        jsonrpc: '2.0',
        id: inputId,
        method: r.method,
        params: isObj(r.params) ? r.params : {},
      } as Message);
    }
    if (requests.length === 0) void this.retry(call);
  }

  /** Why an input request cannot go to this client, if it cannot. */
  private refusal(req: unknown): string | undefined {
    if (!isObj(req) || typeof req.method !== 'string')
      return 'the server sent a malformed input request.';
    const caps = this.clientCapabilities;
    const params = isObj(req.params) ? req.params : {};
    switch (req.method) {
      case 'sampling/createMessage':
        return caps.sampling !== undefined
          ? undefined
          : 'the server needs sampling (an LLM call) from the client, and this client does not offer it.';
      case 'roots/list':
        return caps.roots !== undefined
          ? undefined
          : 'the server needs the client’s roots, and this client does not offer them.';
      case 'elicitation/create': {
        const elicitation = caps.elicitation;
        if (elicitation === undefined) {
          return 'the server needs to ask the user something, and this client does not support elicitation.';
        }
        if (params.mode === 'url' && !(isObj(elicitation) && elicitation.url !== undefined)) {
          return 'the server needs the user to open a URL, and this client does not support URL elicitation.';
        }
        return undefined;
      }
      default:
        return `the server asked for "${req.method}", which is not an input request.`;
    }
  }

  private inputAnswered(m: Message & { id: Id }): void {
    const entry = this.inputs.get(idKey(m.id));
    if (!entry) {
      this.link.log(`dropped an answer to ${String(m.id)}: nothing asked for it`);
      return;
    }
    this.inputs.delete(idKey(m.id));
    const { call, key } = entry;
    call.awaiting.delete(key);
    if (call.cancelled) return;
    if ('error' in m) {
      const e = m.error as { message?: unknown };
      return this.fail(
        call,
        BridgeErrorCode.ERA_TRANSLATION,
        `the client could not answer the server's request for input (${String(e.message)}).`,
      );
    }
    call.responses[key] = (m as { result: unknown }).result;
    if (call.awaiting.size === 0) void this.retry(call);
  }

  /** The next leg: same request, new id, the answers, and the server's state verbatim. */
  private async retry(call: Call): Promise<void> {
    const legId = `${RESERVED_ID_PREFIX}leg-${++this.seq}`;
    call.legId = legId;
    this.legs.set(idKey(legId), call);
    const params = this.stamp({
      ...call.params,
      ...(call.round > 0 ? { inputResponses: call.responses } : {}),
      ...(call.requestState !== undefined ? { requestState: call.requestState } : {}),
    });
    try {
      await this.link.send({ jsonrpc: '2.0', id: legId, method: call.method, params } as Message);
    } catch (error) {
      this.legs.delete(idKey(legId));
      this.fail(
        call,
        BridgeErrorCode.UPSTREAM_HTTP,
        `sending the answers back to the server failed (${this.link.describeFailure(error)}).`,
      );
    }
  }

  // ---- change notifications ---------------------------------------------------------------

  private filter(): Obj | undefined {
    const caps = this.discover.capabilities;
    const listChanged = (name: string) => {
      const c = caps[name];
      return isObj(c) && c.listChanged === true;
    };
    const resources = caps.resources;
    const canSubscribe = isObj(resources) && resources.subscribe === true;
    const f: Obj = {};
    if (listChanged('tools')) f.toolsListChanged = true;
    if (listChanged('prompts')) f.promptsListChanged = true;
    if (listChanged('resources')) f.resourcesListChanged = true;
    if (canSubscribe && this.subscriptions.size > 0) {
      f.resourceSubscriptions = [...this.subscriptions];
    }
    return Object.keys(f).length > 0 ? f : undefined;
  }

  private openListen(): void {
    if (this.closed || this.listenId !== undefined) return;
    const notifications = this.filter();
    if (!notifications) {
      this.markListenReady();
      return;
    }
    const id = `${RESERVED_ID_PREFIX}listen-${++this.seq}`;
    this.listenId = id;
    this.link
      .send({
        jsonrpc: '2.0',
        id,
        method: 'subscriptions/listen',
        params: this.stamp({ notifications }),
      } as Message)
      .catch((error: unknown) => {
        // Closed: the session's end cut the stream (an abort), which is nothing to report.
        if (this.closed || this.listenId !== id) return;
        this.link.log(`change stream: ${this.link.describeFailure(error)}`);
        this.listenEnded(undefined);
      });
  }

  private reopenListen(): void {
    const old = this.listenId;
    if (old === undefined) return this.openListen();
    this.listenId = undefined;
    this.link.abort(old);
    this.openListen();
  }

  /** The change stream ended (answered, refused or broken): open it again, within bounds. */
  private listenEnded(answer: Message | undefined): void {
    this.listenId = undefined;
    if (this.closed) return;
    if (answer && 'error' in answer) {
      this.link.log(
        `change stream refused: ${String((answer.error as { message?: unknown }).message)}`,
      );
    }
    this.listenFailures++;
    if (this.listenFailures > LISTEN_REOPEN_LIMIT) {
      this.link.log('change stream keeps ending; list-changed and resource updates stop here');
      this.markListenReady();
      return;
    }
    const wait = LISTEN_BACKOFF_MS * 2 ** (this.listenFailures - 1);
    this.listenTimer = setTimeout(() => this.openListen(), wait);
    this.listenTimer.unref();
  }
}
