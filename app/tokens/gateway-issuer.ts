import {
  fetchWithinOrigin,
  unfollowedRedirect,
  type FetchLike,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import type { Issuer } from '../projects/project.js';
import { SwitchboardError } from '../shared/errors.js';
import { redactSecrets } from '../shared/redact.js';

/**
 * Client for the project-scoped gateway token API:
 *   POST   {url}/api/v1/mcptokens             {name, project, rbac_mode, bindings, ttl} → raw token once
 *   DELETE {url}/api/v1/mcptokens/{id}        revoke
 *   POST   {url}/api/v1/mcptokens/introspect  {token} → {active, id, name, expires_at, last_used_at}
 * Authenticated with the account's issuer key (kept in the keychain as a token of kind issuer-key).
 */
const MintResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string().min(8),
  expires_at: z.string().nullable().optional(),
});

const IntrospectResponseSchema = z.object({
  active: z.boolean(),
  id: z.string().optional(),
  name: z.string().optional(),
  expires_at: z.string().nullable().optional(),
  last_used_at: z.string().nullable().optional(),
});
export type Introspection = z.infer<typeof IntrospectResponseSchema>;

export interface MintRequest {
  name: string;
  /** `30d`, `12h`, `never` or an ISO date, passed through to the server. */
  ttl: string;
  rbacMode?: 'project' | 'readonly';
  bindings?: string[];
}

export interface MintedToken {
  value: string;
  remoteId: string;
  expiresAt: string | null;
}

const TIMEOUT_MS = 15_000;

export class GatewayIssuer {
  constructor(
    private readonly issuer: Issuer,
    private readonly issuerKey: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async mint(req: MintRequest): Promise<MintedToken> {
    const body = await this.call('POST', '/api/v1/mcptokens', {
      name: req.name,
      project: this.issuer.project,
      rbac_mode: req.rbacMode ?? 'project',
      bindings: req.bindings ?? [],
      ttl: req.ttl,
    });
    const parsed = MintResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new SwitchboardError(
        'CONTRACT',
        `The token API at ${this.issuer.url} answered without a token.`,
      );
    }
    return {
      value: parsed.data.token,
      remoteId: parsed.data.id,
      expiresAt: parsed.data.expires_at ?? null,
    };
  }

  async revoke(remoteId: string): Promise<void> {
    await this.call('DELETE', `/api/v1/mcptokens/${encodeURIComponent(remoteId)}`);
  }

  async introspect(token: string): Promise<Introspection> {
    const parsed = IntrospectResponseSchema.safeParse(
      await this.call('POST', '/api/v1/mcptokens/introspect', { token }),
    );
    if (!parsed.success) {
      throw new SwitchboardError(
        'CONTRACT',
        `The token API at ${this.issuer.url} sent an unreadable introspection.`,
      );
    }
    return parsed.data;
  }

  private async call(method: string, route: string, body?: unknown): Promise<unknown> {
    const url = new URL(
      route.replace(/^\//, ''),
      this.issuer.url.endsWith('/') ? this.issuer.url : this.issuer.url + '/',
    );
    let res: Response;
    try {
      // Redirects are followed only within the issuer's origin (as the bridge does): a 307
      // elsewhere would re-send the mint request, issuer key included, to that origin.
      res = await fetchWithinOrigin(this.fetchFn as FetchLike)(url, {
        method,
        headers: {
          authorization: `Bearer ${this.issuerKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          accept: 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new SwitchboardError(
        'UPSTREAM',
        `Cannot reach the token API at ${url.origin}: ${redactSecrets((error as Error).message, [this.issuerKey])}.`,
      );
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      throw new SwitchboardError(
        'UPSTREAM',
        `The token API at ${url.origin} redirected elsewhere (${unfollowedRedirect(res, url) ?? `HTTP ${res.status}`}); Switchboard does not send the issuer key to another origin. Check the project's issuer URL.`,
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new SwitchboardError(
        'AUTH',
        `The token API at ${url.origin} refused the issuer key (HTTP ${res.status}). Replace it: switchboard token add <project> --kind issuer-key --token-stdin.`,
      );
    }
    if (res.status === 204) return undefined;
    const text = await res.text();
    if (!res.ok) {
      throw new SwitchboardError(
        'UPSTREAM',
        `The token API at ${url.origin} answered HTTP ${res.status}: ${redactSecrets(text.slice(0, 200), [this.issuerKey])}`,
      );
    }
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      throw new SwitchboardError('CONTRACT', `The token API at ${url.origin} did not answer JSON.`);
    }
  }
}
