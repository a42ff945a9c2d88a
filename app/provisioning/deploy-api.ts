import { isAllowedEndpoint } from './endpoint.js';

/**
 * A client for the generic "edge-compute deploy API" a vendor's control plane offers (the
 * contract is in the README's per-tenant section): secrets looked up by name and upserted,
 * deploy of the per-tenant MCP function, polling while it is not ready, and deletion. Every
 * request authenticates with the user's API key; nothing is sent anywhere but the control plane.
 */
export class ProvisioningError extends Error {
  constructor(
    /** Short and secret-free; shown as "shared (provisioning failed: <short>)". */
    readonly short: string,
  ) {
    super(short);
    this.name = 'ProvisioningError';
  }
}

export interface VendorSecret {
  id: string;
  name: string;
}

export interface Deployment {
  url: string;
  funcId: string;
  sharedSecret: string;
  status: string;
}

export type ProvisioningStage = 'secret-lookup' | 'secret-create' | 'deploy' | 'waiting' | 'ready';

export interface ProvisioningProgress {
  stage: ProvisioningStage;
  /** Status polls so far (stage `waiting`). */
  polls?: number;
  elapsedMs: number;
  deadlineMs: number;
}

export interface DeployApiOptions {
  controlPlane: string;
  apiKey: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export const DEFAULT_DEADLINE_MS = 20_000;
/** One request may not outlive the deadline, but also never hang on its own. */
const REQUEST_TIMEOUT_MS = 10_000;
const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 2_000;
/** The deadline ends polling first; this bounds the loop even with a very long deadline. */
const MAX_POLLS = 500;

interface ApiResponse {
  status: number;
  location: string | null;
  body: unknown;
}

export class DeployApi {
  private readonly base: URL;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: DeployApiOptions) {
    this.base = new URL(
      opts.controlPlane.endsWith('/') ? opts.controlPlane : `${opts.controlPlane}/`,
    );
    this.fetchFn = opts.fetch ?? fetch;
  }

  async findSecret(name: string): Promise<VendorSecret | undefined> {
    const url = this.url('v2/compute/secrets');
    url.searchParams.set('filter[name]', name);
    const res = await this.call('GET', url, undefined, 'secrets lookup');
    const list = (res.body as { data?: unknown } | null)?.data;
    if (!Array.isArray(list)) throw new ProvisioningError('the secrets lookup returned no list');
    const found = list.find(
      (s): s is VendorSecret =>
        typeof s === 'object' &&
        s !== null &&
        (s as VendorSecret).name === name &&
        typeof (s as VendorSecret).id === 'string',
    );
    return found ? { id: found.id, name: found.name } : undefined;
  }

  /** Creates the secret (the control plane upserts by name). */
  async createSecret(name: string, value: string): Promise<VendorSecret> {
    const res = await this.call(
      'POST',
      this.url('v2/compute/secrets'),
      { name, value },
      'secret create',
    );
    const data = (res.body as { data?: Partial<VendorSecret> } | null)?.data;
    if (typeof data?.id !== 'string')
      throw new ProvisioningError('the secret create returned no id');
    return { id: data.id, name };
  }

  /**
   * Deploys the per-tenant function and waits until it is ready: a 202 or a non-ready status is
   * polled (Location header, `data.status_url`, else the deploy again, which is idempotent) with
   * a growing delay until `deadlineMs` passes or the signal aborts.
   */
  async deploy(
    secretId: string,
    opts: { deadlineMs?: number; onProgress?: (p: ProvisioningProgress) => void } = {},
  ): Promise<Deployment> {
    const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const started = Date.now();
    const progress = (stage: ProvisioningStage, polls?: number) =>
      opts.onProgress?.({
        stage,
        ...(polls === undefined ? {} : { polls }),
        elapsedMs: Date.now() - started,
        deadlineMs,
      });
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, deadline]) : deadline;
    const timedOut = () =>
      new ProvisioningError(`no ready endpoint within ${Math.round(deadlineMs / 1000)} s`);
    const deployOnce = () =>
      this.call(
        'POST',
        this.url('v2/compute/mcp/deploy'),
        { api_key_secret_id: secretId },
        'deploy',
        signal,
      );

    try {
      progress('deploy');
      let res = await deployOnce();
      for (let polls = 0; polls < MAX_POLLS; polls++) {
        const ready = readyDeployment(res);
        if (ready) {
          progress('ready');
          return ready;
        }
        const statusUrl = this.statusUrl(res);
        progress('waiting', polls + 1);
        await sleep(Math.min(POLL_FIRST_MS * 1.5 ** polls, POLL_MAX_MS), signal);
        res = statusUrl
          ? await this.call('GET', statusUrl, undefined, 'deploy status', signal)
          : await deployOnce();
      }
      throw timedOut();
    } catch (error) {
      // The owner of opts.signal knows why it aborted (cancel, or its own deadline).
      if (this.opts.signal?.aborted) throw error;
      if (deadline.aborted) throw timedOut();
      throw error;
    }
  }

  async deleteFunction(funcId: string): Promise<void> {
    await this.call(
      'DELETE',
      this.url(`v2/compute/mcp/functions/${encodeURIComponent(funcId)}`),
      undefined,
      'function delete',
      undefined,
      [404],
    );
  }

  async deleteSecret(secretId: string): Promise<void> {
    await this.call(
      'DELETE',
      this.url(`v2/compute/secrets/${encodeURIComponent(secretId)}`),
      undefined,
      'secret delete',
      undefined,
      [404],
    );
  }

  private url(relative: string): URL {
    return new URL(relative, this.base);
  }

  /** A status URL from the response, only on the control plane's own origin (it gets the key). */
  private statusUrl(res: ApiResponse): URL | undefined {
    const fromBody = (res.body as { data?: { status_url?: unknown } } | null)?.data?.status_url;
    const raw = res.location ?? (typeof fromBody === 'string' ? fromBody : undefined);
    if (!raw) return undefined;
    let url: URL;
    try {
      url = new URL(raw, this.base);
    } catch {
      throw new ProvisioningError('the control plane sent an unusable status URL');
    }
    if (url.origin !== this.base.origin) {
      throw new ProvisioningError('the control plane sent a status URL on another host');
    }
    return url;
  }

  private async call(
    method: string,
    url: URL,
    body: unknown,
    what: string,
    signal?: AbortSignal,
    okStatuses: number[] = [],
  ): Promise<ApiResponse> {
    // A deadline or cancel signal bounds the request; without one, a timeout of its own does.
    const perRequest = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const bounds = [...(signal ? [signal] : []), ...(this.opts.signal ? [this.opts.signal] : [])];
    const signals = bounds.length ? bounds : [perRequest];
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${this.opts.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A redirect is answered as an HTTP status, never followed with the key.
        redirect: 'manual',
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      if (signal?.aborted || this.opts.signal?.aborted) throw error;
      if (perRequest.aborted) throw new ProvisioningError(`the ${what} request timed out`);
      throw new ProvisioningError(`control plane unreachable (${networkCode(error)})`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok && !okStatuses.includes(response.status)) {
      throw new ProvisioningError(`HTTP ${response.status} from the ${what}`);
    }
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new ProvisioningError(`the ${what} answer is not JSON`);
      }
    }
    return { status: response.status, location: response.headers.get('location'), body: parsed };
  }
}

/** A finished deployment, or undefined while provisioning goes on; a ready one must be whole. */
function readyDeployment(res: ApiResponse): Deployment | undefined {
  const data = (res.body as { data?: Record<string, unknown> } | null)?.data;
  const status = typeof data?.status === 'string' ? data.status : undefined;
  if (res.status === 202 || (status !== undefined && status !== 'ready')) {
    if (status !== undefined && /^(failed|error)$/i.test(status)) {
      throw new ProvisioningError(`the control plane reports status "${status}"`);
    }
    return undefined;
  }
  if (!data) throw new ProvisioningError('the deploy answer has no data');
  for (const field of ['url', 'func_id', 'shared_secret'] as const) {
    if (typeof data[field] !== 'string' || data[field] === '') {
      throw new ProvisioningError(`the deploy answer has no ${field}`);
    }
  }
  const url = data.url as string;
  if (!isAllowedEndpoint(url)) {
    throw new ProvisioningError('the deploy answer has a url that is not https');
  }
  return {
    url,
    funcId: data.func_id as string,
    sharedSecret: data.shared_secret as string,
    status: status ?? 'ready',
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function networkCode(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return 'network error';
}
