import {
  discoverOAuthServerInfo,
  resourceUrlFromServerUrl,
  selectResourceURL,
  type AuthorizationServerMetadata,
  type OAuthClientProvider,
  type OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/client';
import { SwitchboardError } from '../shared/errors.js';
import { parseChallenge, type Challenge } from './challenge.js';

export type { Challenge };

export interface Discovered {
  serverUrl: string;
  /** The canonical resource (RFC 8707): PRM `resource` verbatim, else the server URL. */
  resource: string;
  issuer: string;
  authorizationServerUrl: string;
  metadata: AuthorizationServerMetadata;
  resourceMetadata?: OAuthProtectedResourceMetadata;
  challenge?: Challenge;
}

/**
 * Asks the server without a token to learn its challenge: a 401 with `WWW-Authenticate: Bearer
 * resource_metadata=…, scope=…` is how servers point at their PRM and the scope they want. Some
 * servers let `initialize` through unauthenticated, so a `tools/list` is tried when it passes.
 */
export async function probeChallenge(
  serverUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<Challenge> {
  let last: Challenge = { status: 0 };
  for (const method of ['initialize', 'tools/list']) {
    const res = await fetchFn(serverUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method,
        params:
          method === 'initialize'
            ? {
                protocolVersion: '2025-11-25',
                capabilities: {},
                clientInfo: { name: 'switchboard', version: '0' },
              }
            : {},
      }),
      signal: AbortSignal.timeout(15_000),
    });
    await res.body?.cancel().catch(() => undefined);
    last = parseChallenge(res.status, res.headers.get('www-authenticate'));
    if (res.status === 401 || res.status === 403) return last;
  }
  return last;
}

/**
 * RFC 9728 then RFC 8414/OIDC discovery through the SDK (PRM from the challenge's
 * `resource_metadata`, then `/.well-known/oauth-protected-resource/<path>`, then the root; AS
 * metadata whose `issuer` must match), plus the checks the spec makes ours: the PRM `resource`
 * must belong to this server, and the AS must support PKCE S256 (absent = refused).
 */
export async function discover(
  serverUrl: string,
  opts: { fetch?: typeof fetch; challenge?: Challenge } = {},
): Promise<Discovered> {
  const fetchFn = opts.fetch ?? fetch;
  const challenge =
    opts.challenge ?? (await probeChallenge(serverUrl, fetchFn).catch(() => undefined));
  let info;
  try {
    info = await discoverOAuthServerInfo(serverUrl, {
      fetchFn,
      ...(challenge?.resourceMetadataUrl
        ? { resourceMetadataUrl: challenge.resourceMetadataUrl }
        : {}),
    });
  } catch (error) {
    throw new SwitchboardError(
      'UPSTREAM',
      `OAuth discovery for ${serverUrl} failed: ${(error as Error).message}. Check the project URL; the server must publish OAuth protected-resource and authorization-server metadata.`,
    );
  }
  const metadata = info.authorizationServerMetadata;
  if (!metadata) {
    throw new SwitchboardError(
      'UPSTREAM',
      `No OAuth authorization server metadata found for ${info.authorizationServerUrl} (tried RFC 8414 and OpenID discovery). This server may not support OAuth sign-in; use --auth bearer with a token instead.`,
    );
  }
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw new SwitchboardError(
      'UPSTREAM',
      `The authorization server ${metadata.issuer} does not advertise PKCE S256 (code_challenge_methods_supported); Switchboard does not sign in without it.`,
    );
  }
  let resource: string;
  if (info.resourceMetadata) {
    try {
      await selectResourceURL(serverUrl, {} as OAuthClientProvider, info.resourceMetadata);
    } catch {
      throw new SwitchboardError(
        'UPSTREAM',
        `The server's protected-resource metadata names the resource ${info.resourceMetadata.resource}, which is not ${serverUrl}; sign-in stopped. Check the project URL.`,
      );
    }
    resource = info.resourceMetadata.resource;
  } else {
    resource = resourceUrlFromServerUrl(serverUrl).href;
  }
  return {
    serverUrl,
    resource,
    issuer: metadata.issuer,
    authorizationServerUrl: info.authorizationServerUrl,
    metadata,
    ...(info.resourceMetadata ? { resourceMetadata: info.resourceMetadata } : {}),
    ...(challenge ? { challenge } : {}),
  };
}
