/**
 * The era layer: an Upstream in front of the HTTP upstream that finds out which protocol era
 * the server speaks and routes every message accordingly — 2025 traffic untouched, 2026-07-28
 * clients passed through with the era's headers, 2025 clients in front of a 2026-07-28 server
 * translated (legacy-translator.ts). The bridge core stays era-agnostic.
 */
import type { HttpUpstream, Upstream, UpstreamFailure } from '../http-upstream.js';
import { LeanHttpError } from '../lean-http-transport.js';
import {
  RESERVED_ID_PREFIX,
  idKey,
  isNotification,
  isRequest,
  isReservedId,
  isResponse,
  type Id,
  type Message,
} from '../protocol.js';
import type { EraCache } from './era-cache.js';
import { LegacyTranslator } from './legacy-translator.js';
import { ModernHeaders } from './modern-headers.js';
import {
  META,
  METHOD_NOT_FOUND,
  MODERN_VERSION,
  eraOfError,
  eraOfProbeAnswer,
  errorInBody,
  isModernVersion,
  metaVersion,
  type DiscoverResult,
  type Era,
} from './modern-wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How long a probe may take before the bridge treats the server as 2025-era. */
const PROBE_TIMEOUT_MS = 10_000;
const BRIDGE_INFO = { name: 'switchboard-bridge', version: '1' };
/**
 * A cached DiscoverResult older than this is still used at once, and checked again in the
 * background after the client's initialize is answered (a server's capabilities rarely change).
 */
export const DISCOVER_MAX_AGE_MS = 60 * 60 * 1000;

/** What the bridge knows about one server's era, shared by every upstream it opens there. */
export class EraState {
  /** The era from the cache, or from this bridge's own detection. */
  era: Era | undefined;
  /** How the era became known: read from the cache, or found by a probe. */
  source: 'cache' | 'probe' | undefined;
  /** A 2026-07-28 server's DiscoverResult (cached or probed): answers a 2025 initialize. */
  discover: DiscoverResult | undefined;
  /** When the cached verdict was reached (ms since the epoch). */
  checkedAt: number | undefined;
  private loaded = false;

  constructor(
    readonly url: URL,
    readonly cache: EraCache,
  ) {}

  /** Reads the cached era once (a verdict this bridge already reached wins). */
  async read(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const cached = await this.cache.record(this.url);
    if (cached && this.era === undefined) {
      this.era = cached.era;
      this.source = 'cache';
      this.discover = cached.era === 'modern' ? cached.discover : undefined;
      this.checkedAt = Date.parse(cached.checkedAt);
    }
  }
}

type Mode = 'undecided' | 'legacy' | 'modern' | 'translate';

export class EraUpstream implements Upstream {
  onmessage?: Upstream['onmessage'];
  onerror?: (error: Error) => void;
  onclose?: () => void;
  onstreamlost?: (id: Id, cause?: Error) => void;
  onsessionlost?: () => void;

  private mode: Mode = 'undecided';
  private decision: Promise<boolean> | undefined;
  private translator: LegacyTranslator | undefined;
  private readonly headers = new ModernHeaders();
  /** Answers the era layer waits for itself (probes, the client's own probe). */
  private readonly waiting = new Map<string, (m: Message | Error) => void>();
  /** Method of each pass-through request in flight, to learn tool headers from `tools/list`. */
  private readonly listing = new Set<string>();
  private seq = 0;
  /** Exchanges the era layer itself is waiting on (probes, the client's probe, tool listings). */
  private probing = 0;
  private toolsLearned: Promise<void> | undefined;

  constructor(
    private readonly inner: HttpUpstream,
    private readonly state: EraState,
    private readonly opts: { project: string; log: (line: string) => void },
  ) {
    inner.onmessage = (m) => this.fromServer(m as Message);
    inner.onerror = (e) => {
      // A 2025 server refusing a probe is the expected answer, not a problem worth a log line.
      if (this.probing > 0 && isClientError(this.inner.classify(e))) return;
      this.onerror?.(e);
    };
    inner.onclose = () => this.onclose?.();
    inner.onstreamlost = (id, cause) => this.streamLost(id, cause);
    inner.onsessionlost = () => this.onsessionlost?.();
    // Era headers go on modern traffic only: never on a 2025 exchange.
    inner.setMessageHeaders((m) =>
      this.mode === 'modern' || this.mode === 'translate' || isModernVersion(metaVersion(m))
        ? this.headers.headersFor(m)
        : undefined,
    );
  }

  get getStreamReady(): Promise<void> {
    return this.translator ? this.translator.listenReady : this.inner.getStreamReady;
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  get fingerprint(): string | undefined {
    return this.inner.fingerprint;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  setProtocolVersion(version: string): void {
    // The 2026-07-28 era carries its version per message; only the 2025 era has a connection one.
    if (this.mode === 'legacy' || this.mode === 'undecided') this.inner.setProtocolVersion(version);
  }

  terminateSession(): Promise<void> {
    return this.mode === 'legacy' ? this.inner.terminateSession() : Promise.resolve();
  }

  classify(error: unknown): UpstreamFailure {
    return this.inner.classify(error);
  }

  /** The core settled request `id`: end its exchange (in translation, its current leg's). */
  endExchange(id: Id, answered?: boolean): void {
    if (this.translator) this.translator.endExchange(id, answered);
    else this.inner.endExchange(id, answered);
  }

  async close(): Promise<void> {
    this.translator?.close();
    for (const w of this.waiting.values()) w(new Error('closed'));
    this.waiting.clear();
    await this.inner.close();
  }

  async send(m: Message): Promise<void> {
    if (this.mode === 'undecided') {
      if (this.decision) {
        await this.decision.catch(() => undefined);
      } else {
        this.decision = this.decide(m);
        let handled: boolean;
        try {
          handled = await this.decision;
        } finally {
          if (this.mode === 'undecided') this.decision = undefined;
        }
        if (handled) return;
      }
      if (this.mode === 'undecided') return this.send(m);
    }
    if (this.mode === 'legacy') return this.inner.send(m);
    if (isRequest(m) && m.method === 'tools/list') this.listing.add(idKey(m.id));
    if (isRequest(m) && m.method === 'tools/call') {
      // Header-mapped parameters are declared in tools/list: learn them before the first call.
      if (!this.headers.listed) await this.learnTools(m);
      const name = (m as { params?: { name?: unknown } }).params?.name;
      const invalid = typeof name === 'string' ? this.headers.invalidTools.get(name) : undefined;
      if (invalid !== undefined) return this.refuseInvalidTool(m, name as string, invalid);
    }
    switch (this.mode) {
      case 'translate':
        try {
          return await this.translator?.fromClient(m);
        } catch (error) {
          await this.translatedRefused(error);
          throw error;
        }
      case 'modern':
        return this.passThrough(m);
      default:
        return this.inner.send(m);
    }
  }

  // ---- detection --------------------------------------------------------------------------

  /** Settles the era on the session's first message; true when that message was handled. */
  private async decide(m: Message): Promise<boolean> {
    await this.state.read();
    const known = this.state.era;
    if (isRequest(m) && m.method === 'initialize') {
      if (known === 'legacy') return this.initializeCachedLegacy(m);
      if (known === 'modern' && this.state.discover) return this.initializeCachedModern(m);
      return this.initializeProbed(m, known === 'modern' ? 'cache' : 'probe');
    }
    if (isRequest(m) && m.method === 'server/discover') {
      if (known === 'legacy') {
        await this.settle('legacy', 'cache', true);
        this.answerProbe(m.id);
        return true;
      }
      const answer = await this.exchange(m);
      if (answer instanceof Error) throw answer;
      if (eraOfProbeAnswer(answer) === 'modern') {
        const discover = 'result' in answer ? (answer.result as DiscoverResult) : undefined;
        await this.settle('modern', known === 'modern' ? 'cache' : 'probe', true, discover);
        this.mode = 'modern';
        this.onmessage?.(answer);
      } else {
        await this.settle('legacy', 'probe', true);
        this.answerProbe(m.id);
      }
      return true;
    }
    // A client that starts without either handshake: a modern one with a prior verdict, or
    // something else entirely (left to the server as it is).
    if (isModernVersion(metaVersion(m))) {
      await this.settle('modern', known === 'modern' ? 'cache' : 'probe', true);
    } else {
      this.mode = known === 'modern' ? 'modern' : 'legacy';
    }
    return false;
  }

  private async initializeProbed(
    m: Message & { id: Id },
    source: 'cache' | 'probe',
  ): Promise<boolean> {
    const probe = await this.probe(m);
    if (probe.era === 'modern' && probe.discover) {
      await this.settle('modern', source, false, probe.discover);
      this.translator = new LegacyTranslator(probe.discover, this.translatorLink());
      this.translator.initialize(m);
      return true;
    }
    if (probe.era === undefined) {
      // No verdict (the server could not be reached): nothing cached, initialize goes on as it is.
      this.mode = 'legacy';
      return false;
    }
    return this.settle('legacy', 'probe', false);
  }

  /**
   * A server cached as 2026-07-28 with its DiscoverResult: initialize is answered from the cache
   * with no probe; a stale entry is checked again once the answer is out.
   */
  private async initializeCachedModern(m: Message & { id: Id }): Promise<boolean> {
    const discover = this.state.discover!;
    await this.settle('modern', 'cache', false);
    this.translator = new LegacyTranslator(discover, this.translatorLink());
    this.translator.initialize(m);
    const age = Date.now() - (this.state.checkedAt ?? 0);
    if (!(age < DISCOVER_MAX_AGE_MS)) void this.refreshDiscover(m);
    return true;
  }

  /** Probes again in the background and records what it finds for the next bridge. */
  private async refreshDiscover(init: Message): Promise<void> {
    const probe = await this.probe(init);
    if (probe.era === undefined) return;
    this.state.discover = probe.discover;
    this.state.era = probe.era;
    this.state.checkedAt = Date.now();
    await this.state.cache.set(this.state.url, probe.era, probe.discover);
    if (probe.era === 'legacy') {
      this.opts.log(
        'the server no longer answers server/discover; the next bridge uses initialize',
      );
    }
  }

  /**
   * A translated request refused the way a server that left the 2026-07-28 era would refuse it
   * (HTTP 4xx, not a credential problem): the cached verdict is forgotten, so the next bridge
   * probes again.
   */
  private async translatedRefused(error: unknown): Promise<void> {
    const f = this.inner.classify(error);
    if (!isClientError(f) || f.httpStatus === 401 || f.httpStatus === 403) return;
    if (this.state.source !== 'cache') return;
    this.state.source = 'probe';
    this.state.era = undefined;
    this.state.discover = undefined;
    this.opts.log(
      `a request was refused with HTTP ${f.httpStatus}; the next bridge probes the server's era again`,
    );
    await this.state.cache.forget(this.state.url);
  }

  /**
   * A server cached as 2025-era gets the client's initialize as it is; a refusal that a
   * 2026-only server would give (HTTP 4xx) means the era may have changed, so probe again.
   */
  private async initializeCachedLegacy(m: Message & { id: Id }): Promise<boolean> {
    await this.settle('legacy', 'cache', false);
    try {
      await this.inner.send(m);
      return true;
    } catch (error) {
      const f = this.inner.classify(error);
      const refused = f.kind === 'http' && f.httpStatus !== null && f.httpStatus >= 400;
      if (!refused || f.httpStatus === 401 || f.httpStatus === 403 || f.httpStatus! >= 500) {
        throw error;
      }
      this.opts.log(
        `initialize refused with HTTP ${f.httpStatus}; checking the server's era again`,
      );
      this.mode = 'undecided';
      const handled = await this.initializeProbed(m, 'probe');
      if (handled) return true;
      throw error;
    }
  }

  /**
   * Records the verdict (`modernClient`: the client itself speaks 2026-07-28). A new verdict is
   * written to the cache before the answer goes out: a client's probe process is often ended
   * right after it.
   */
  private async settle(
    era: Era,
    source: 'cache' | 'probe',
    modernClient: boolean,
    discover?: DiscoverResult,
  ): Promise<false> {
    this.mode = era === 'legacy' ? 'legacy' : modernClient ? 'modern' : 'translate';
    this.state.source = source;
    const newDiscover =
      discover !== undefined && JSON.stringify(discover) !== JSON.stringify(this.state.discover);
    if (this.state.era !== era || newDiscover) {
      this.state.era = era;
      if (era === 'legacy') this.state.discover = undefined;
      else if (discover) this.state.discover = discover;
      this.state.checkedAt = Date.now();
      await this.state.cache.set(this.state.url, era, this.state.discover);
    }
    return false;
  }

  /**
   * Probes with `server/discover`, stamped like the client's initialize would be. A -32022 that
   * offers 2026-07-28 is the spec's corrective answer: probe once more (the version we send is
   * the only modern one we speak, so the second answer decides).
   */
  private async probe(
    init: Message,
    corrective = false,
  ): Promise<{ era: Era | undefined; discover?: DiscoverResult }> {
    const params = (init as { params?: unknown }).params;
    const p = isObj(params) ? params : {};
    const id = `${RESERVED_ID_PREFIX}discover-${++this.seq}`;
    const answer = await this.exchange({
      jsonrpc: '2.0',
      id,
      method: 'server/discover',
      params: {
        _meta: {
          [META.protocolVersion]: MODERN_VERSION,
          [META.clientCapabilities]: isObj(p.capabilities) ? p.capabilities : {},
          [META.clientInfo]: isObj(p.clientInfo) ? p.clientInfo : BRIDGE_INFO,
        },
      },
    } as Message & { id: Id; method: string });
    if (answer instanceof Error) {
      // Unreachable, refused credentials…: not an era verdict. The core answers initialize with
      // what went wrong when it sends it on.
      this.opts.log(`era probe: ${answer.message}`);
      return { era: undefined };
    }
    const era = eraOfProbeAnswer(answer);
    if (era === 'modern' && 'error' in answer && !corrective) return this.probe(init, true);
    return era === 'modern' && 'result' in answer
      ? { era, discover: answer.result as DiscoverResult }
      : { era: 'legacy' };
  }

  /**
   * Sends request `m` with the era's headers and waits for its answer. An HTTP 4xx is an
   * answer too (the JSON-RPC error in its body, or a plain "not modern"); a network or
   * credential failure is returned as an Error.
   */
  private async exchange(m: Message & { id: Id; method: string }): Promise<Message | Error> {
    const key = idKey(m.id);
    const answer = new Promise<Message | Error>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        // Over HTTP silence is an outage, not a verdict.
        resolve(new Error(`${m.method} got no answer in ${PROBE_TIMEOUT_MS / 1000} s`));
      }, PROBE_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(key, (a) => {
        clearTimeout(timer);
        this.waiting.delete(key);
        resolve(a);
      });
    });
    this.probing++;
    try {
      await this.inner.send(m);
    } catch (error) {
      const f = this.inner.classify(error);
      const settle = this.waiting.get(key);
      if (
        f.kind === 'http' &&
        f.httpStatus !== null &&
        f.httpStatus < 500 &&
        f.httpStatus !== 401 &&
        f.httpStatus !== 403
      ) {
        const body = error instanceof LeanHttpError ? errorInBody(error.body) : undefined;
        const code = eraOfError(body) === 'modern' ? -32022 : METHOD_NOT_FOUND;
        settle?.({
          jsonrpc: '2.0',
          id: m.id,
          error: isObj(body) && code === -32022 ? body : { code, message: `HTTP ${f.httpStatus}` },
        } as Message);
      } else {
        settle?.(error instanceof Error ? error : new Error(String(error)));
      }
    } finally {
      this.probing--;
    }
    const result = await answer;
    // Our own requests are settled here (the core settles only the client's).
    if (isReservedId(m.id)) this.inner.endExchange(m.id, true);
    return result;
  }

  /**
   * The answer that makes a 2026-07-28 client fall back to `initialize` (the spec's fallback
   * rule: anything but a DiscoverResult or a -32022 naming versions), given at once.
   */
  private answerProbe(id: Id): void {
    this.onmessage?.({
      jsonrpc: '2.0',
      id,
      error: {
        code: METHOD_NOT_FOUND,
        message: `Method not found: server/discover (the server speaks the 2025 protocol; use initialize)`,
      },
    } as Message);
  }

  // ---- modern client → modern server ------------------------------------------------------

  /** Lists the tools once (every page, bounded) so their header declarations are known. */
  private learnTools(call: Message): Promise<void> {
    this.toolsLearned ??= (async () => {
      const params = (call as { params?: unknown }).params;
      const callMeta = isObj(params) && isObj(params._meta) ? params._meta : {};
      let cursor: unknown;
      for (let page = 0; page < 20; page++) {
        const base = cursor === undefined ? {} : { cursor };
        const request = {
          jsonrpc: '2.0',
          id: `${RESERVED_ID_PREFIX}tools-${++this.seq}`,
          method: 'tools/list',
          params: this.translator ? this.translator.stamp(base) : { ...base, _meta: callMeta },
        } as Message & { id: Id; method: string };
        const answer = await this.exchange(request);
        if (answer instanceof Error || !('result' in answer)) return;
        this.headers.learnTools(answer.result);
        cursor = (answer.result as { nextCursor?: unknown }).nextCursor;
        if (typeof cursor !== 'string') return;
      }
    })().catch((e: Error) => this.opts.log(`listing tools for their headers failed: ${e.message}`));
    return this.toolsLearned;
  }

  private async passThrough(m: Message): Promise<void> {
    if (isNotification(m) && m.method === 'notifications/cancelled') {
      // On HTTP the era cancels by closing the request's stream.
      const params = (m as { params?: unknown }).params;
      const id = isObj(params) ? params.requestId : undefined;
      if (typeof id === 'string' || typeof id === 'number') {
        this.inner.endExchange(id);
        return;
      }
    }
    return this.inner.send(m);
  }

  // ---- server → client --------------------------------------------------------------------

  /**
   * A tool whose `x-mcp-header` declarations break the rules must not be called (SEP-2243):
   * answered here, never sent.
   */
  private refuseInvalidTool(m: Message & { id: Id }, name: string, reason: string): void {
    this.onmessage?.({
      jsonrpc: '2.0',
      id: m.id,
      error: {
        code: -32602,
        message: `Switchboard (${this.opts.project}): tool "${name}" has an invalid x-mcp-header declaration (${reason}); it cannot be called.`,
      },
    } as Message);
  }

  /** A tools/list answer without the tools that must be excluded (the very message if none). */
  private withoutInvalidTools(m: Message): Message {
    const result = (m as { result?: unknown }).result;
    if (!isObj(result) || !Array.isArray(result.tools)) return m;
    const tools = result.tools.filter(
      (t) => !(isObj(t) && typeof t.name === 'string' && this.headers.invalidTools.has(t.name)),
    );
    if (tools.length === result.tools.length) return m;
    for (const t of result.tools) {
      const name = isObj(t) && typeof t.name === 'string' ? t.name : undefined;
      const why = name ? this.headers.invalidTools.get(name) : undefined;
      if (why) this.opts.log(`left out tool "${name}": ${why}`);
    }
    return { ...m, result: { ...result, tools } } as Message;
  }

  private fromServer(received: Message): void {
    let m = received;
    if (isResponse(m)) {
      const key = idKey(m.id);
      const waiter = this.waiting.get(key);
      if (waiter) return waiter(m);
      if (this.listing.delete(key) && 'result' in m) {
        this.headers.learnTools(m.result);
        m = this.withoutInvalidTools(m);
      }
    }
    if (this.translator) return this.translator.fromServer(m);
    this.onmessage?.(m);
  }

  private streamLost(id: Id, cause?: Error): void {
    const waiter = this.waiting.get(idKey(id));
    if (waiter) return waiter(new Error('the response stream ended without an answer'));
    this.listing.delete(idKey(id));
    if (this.translator?.streamLost(id, cause)) return;
    this.onstreamlost?.(id, cause);
  }

  private translatorLink() {
    return {
      send: (m: Message) => this.inner.send(m),
      toClient: (m: Message) => this.onmessage?.(m),
      abort: (id: Id, answered?: boolean) => this.inner.endExchange(id, answered),
      streamLost: (id: Id, cause?: Error) => this.onstreamlost?.(id, cause),
      describeFailure: (error: unknown) => this.inner.classify(error).detail,
      log: this.opts.log,
      project: this.opts.project,
    };
  }
}

/** An HTTP 4xx refusal (what a 2025 server answers a probe with). */
function isClientError(f: UpstreamFailure): boolean {
  return f.kind === 'http' && f.httpStatus !== null && f.httpStatus >= 400 && f.httpStatus < 500;
}
