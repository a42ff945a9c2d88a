import type { AuthorizationServerMetadata } from '@modelcontextprotocol/client';
import type { StoredTokens } from './grant-store.js';

export type RevokedKind = 'refresh_token' | 'access_token';

/**
 * RFC 7009 revocation at the AS's `revocation_endpoint`, refresh token first (revoking it ends
 * the grant on most servers), then the access token. Best effort: a failure is reported, and
 * sign-out still deletes the local copies.
 */
export async function revokeGrant(opts: {
  metadata: AuthorizationServerMetadata;
  clientId: string;
  clientSecret?: string;
  tokens: StoredTokens;
  fetch?: typeof fetch;
}): Promise<{ revoked: RevokedKind[]; error?: string }> {
  // RFC 8414 fields; the SDK's type is the OAuth | OpenID union, which lacks them on one side.
  const meta = opts.metadata as {
    revocation_endpoint?: string;
    revocation_endpoint_auth_methods_supported?: string[];
  };
  const endpoint = meta.revocation_endpoint;
  if (!endpoint) return { revoked: [] };
  const fetchFn = opts.fetch ?? fetch;
  const methods = meta.revocation_endpoint_auth_methods_supported ?? [];
  const useBasic =
    Boolean(opts.clientSecret) &&
    methods.includes('client_secret_basic') &&
    !methods.includes('client_secret_post');
  const revoked: RevokedKind[] = [];
  const order: Array<[RevokedKind, string | undefined]> = [
    ['refresh_token', opts.tokens.refresh_token],
    ['access_token', opts.tokens.access_token],
  ];
  for (const [kind, token] of order) {
    if (!token) continue;
    const body = new URLSearchParams({ token, token_type_hint: kind });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (useBasic) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret as string)}`).toString('base64')}`;
    } else {
      body.set('client_id', opts.clientId);
      if (opts.clientSecret) body.set('client_secret', opts.clientSecret);
    }
    try {
      const res = await fetchFn(endpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(15_000),
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) return { revoked, error: `the revocation endpoint answered HTTP ${res.status}` };
      revoked.push(kind);
    } catch (error) {
      return {
        revoked,
        error: `the revocation endpoint is unreachable (${(error as Error).message})`,
      };
    }
  }
  return { revoked };
}
