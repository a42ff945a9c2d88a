import type { CredentialProvider, CredentialState } from '../tokens/credentials.js';
import { HttpUpstream, type HttpUpstreamOptions, type UpstreamFailure } from './http-upstream.js';

/** A request found the credential meant for another endpoint: nothing was sent. */
export class EndpointMovedError extends Error {
  constructor(readonly to: string) {
    super('the project moved to another endpoint');
    this.name = 'EndpointMovedError';
  }
}

/**
 * An upstream bound to one endpoint URL. A request whose credential now belongs to another URL
 * (`CredentialState.url`: a per-tenant endpoint appeared or went away) is never sent with it:
 * it fails as "session lost, never sent", so the bridge core opens a new session — on the new
 * URL — and sends the request there (a stateless 2026-07-28 client: just a new upstream).
 */
export class EndpointBoundUpstream extends HttpUpstream {
  override classify(error: unknown): UpstreamFailure {
    if (error instanceof EndpointMovedError) {
      return {
        kind: 'network',
        httpStatus: null,
        neverSent: true,
        sessionLost: true,
        moved: true,
        detail: error.message,
      };
    }
    return super.classify(error);
  }
}

/**
 * Keeps a bridge's upstream on the endpoint its credentials name. `connect()` builds an upstream
 * for the current target; `check()` (after a file change) and every request compare the target
 * with the live upstream's URL and, when they differ, ask the bridge core for a new session.
 */
export class EndpointSwitch {
  private target: string;
  private live: { url: string; upstream: HttpUpstream } | undefined;
  private announced: string | undefined;

  constructor(
    private readonly defaultUrl: string,
    private readonly credentials: CredentialProvider,
    /** Told once per move, with the new endpoint (for the bridge's diagnostics). */
    private readonly onMove: (url: string) => void = () => undefined,
  ) {
    this.target = defaultUrl;
  }

  /** The endpoint new sessions open on. */
  get url(): string {
    return this.target;
  }

  /** Learns the first target before the first upstream is built. */
  async init(): Promise<void> {
    this.note(await this.credentials.current());
  }

  connect(opts: Omit<HttpUpstreamOptions, 'url' | 'credentials'>): HttpUpstream {
    const url = this.target;
    this.announced = undefined;
    const upstream = new EndpointBoundUpstream({
      ...opts,
      url: new URL(url),
      credentials: this.bound(url),
    });
    this.live = { url, upstream };
    return upstream;
  }

  /** Re-reads the credentials; a new target moves the session at once. */
  async check(): Promise<void> {
    this.note(await this.credentials.current());
    this.moveIfNeeded();
  }

  private note(state: CredentialState): void {
    // Without a usable credential the endpoint stays put: the request fails with that reason.
    if (state.ok) this.target = state.url ?? this.defaultUrl;
  }

  private moveIfNeeded(): void {
    const live = this.live;
    if (!live || live.url === this.target) return;
    if (this.announced !== this.target) {
      this.announced = this.target;
      this.onMove(this.target);
    }
    // The core opens one new session however often this is asked.
    live.upstream.onsessionlost?.();
  }

  private bound(url: string): CredentialProvider {
    return {
      current: async () => {
        const state = await this.credentials.current();
        this.note(state);
        if (state.ok && (state.url ?? this.defaultUrl) !== url) {
          this.moveIfNeeded();
          throw new EndpointMovedError(this.target);
        }
        return state;
      },
      markUsed: () => this.credentials.markUsed(),
      ...(this.credentials.rejected
        ? { rejected: this.credentials.rejected.bind(this.credentials) }
        : {}),
      close: () => undefined,
    };
  }
}
