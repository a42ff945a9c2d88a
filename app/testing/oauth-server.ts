import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  createOAuthMetadata,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type {
  AuthorizationParams,
  OAuthServerProvider,
} from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import {
  InvalidGrantError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type {
  OAuthClientInformationFull,
  OAuthTokenRevocationRequest,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';

/**
 * A real authorization server + protected MCP resource on 127.0.0.1 for tests, built from the
 * SDK v1 server auth pieces (`mcpAuthRouter`: metadata, /authorize with PKCE, /token, /register,
 * /revoke; `requireBearerAuth` with audience binding; RFC 9728 metadata). What we add is the
 * provider: auto-approving consent (the tests' "browser" follows redirects), `iss` in the
 * redirect (RFC 9207), short access-token TTLs, rotating refresh tokens with reuse detection
 * (a reused refresh token revokes its whole family), recorded revocations, and a tool that needs
 * an extra scope (403 insufficient_scope).
 */
export interface OAuthTestServer {
  /** The MCP endpoint (the protected resource). */
  mcpUrl: string;
  issuer: string;
  /** Requests that hit /token with grant_type=refresh_token. */
  refreshRequests: number;
  /** Times a used refresh token came back (its family was revoked). */
  reuseDetections: number;
  /** /revoke calls, in order, with the token kind they named. */
  revocations: Array<{ kind: 'access_token' | 'refresh_token' | 'unknown'; hint?: string }>;
  /** Query parameters of each /authorize request (no secrets in them). */
  authorizeRequests: URLSearchParams[];
  /** `resource` sent to /token with each grant. */
  tokenResources: Array<string | undefined>;
  registrations: OAuthClientInformationFull[];
  /** The DCR request bodies as sent. */
  registrationRequests: Array<Record<string, unknown>>;
  /** MCP requests that carried a valid token. */
  mcpCalls: number;
  /** Every token value ever issued (so tests can scan files for them). */
  issuedSecrets(): string[];
  /** Server-side revocation of every token of every family (e.g. the user revoked the app). */
  revokeAll(): void;
  setAccessTtl(seconds: number): void;
  /**
   * What /mcp does with a request whose token is valid: serve it (default), answer 503 (the
   * server behind the AS is down), or never answer (a call that hangs until the client gives up).
   */
  setMcpOutage(mode: 'none' | 'error' | 'hang'): void;
  close(): Promise<void>;
}

export interface OAuthTestServerOptions {
  /** Dynamic client registration (default on). */
  dcr?: boolean;
  /** Clients known up front (pre-registration). */
  clients?: Array<{ client_id: string; client_secret?: string }>;
  accessTtlSeconds?: number;
  /** Issue refresh tokens (default on). */
  refreshTokens?: boolean;
  scopesSupported?: string[];
  /** Advertise and serve /revoke (default on). */
  revocation?: boolean;
  /**
   * Advertise `client_id_metadata_document_supported` (default off). Advertised only: this AS
   * does not fetch documents, so tests use it for the client choice before a sign-in.
   */
  clientMetadataDocuments?: boolean;
}

interface Grant {
  family: string;
  clientId: string;
  scopes: string[];
  resource: string;
}

interface AccessRecord extends Grant {
  expiresAt: number;
  revoked: boolean;
}

interface RefreshRecord extends Grant {
  used: boolean;
  revoked: boolean;
}

// express ships no types here (no @types/express); the few calls we make, typed by hand.
type Req = http.IncomingMessage & { body: unknown; auth?: AuthInfo };
type Res = http.ServerResponse & {
  status(code: number): Res;
  set(name: string, value: string): Res;
  json(value: unknown): void;
  redirect(status: number, url: string): void;
};
type Handler = (req: Req, res: Res, next: () => void) => unknown;
interface ExpressApp extends http.RequestListener {
  set(name: string, value: unknown): void;
  get(path: string, ...handlers: Handler[]): void;
  all(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
  use(handler: unknown): void;
}
type Express = (() => ExpressApp) & { json(): Handler };
const express = createRequire(import.meta.url)('express') as Express;

const random = (prefix: string) => `${prefix}${crypto.randomBytes(24).toString('base64url')}`;

export async function startOAuthTestServer(
  opts: OAuthTestServerOptions = {},
): Promise<OAuthTestServer> {
  const scopesSupported = opts.scopesSupported ?? ['mcp:read', 'mcp:write', 'mcp:admin'];
  let accessTtl = opts.accessTtlSeconds ?? 3600;
  let outage: 'none' | 'error' | 'hang' = 'none';
  const clients = new Map<string, OAuthClientInformationFull>();
  const codes = new Map<
    string,
    { clientId: string; challenge: string; scopes: string[]; resource: string; redirect: string }
  >();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, RefreshRecord>();
  const secrets: string[] = [];
  const http401 = new http.Server();
  await new Promise<void>((resolve) => http401.listen(0, '127.0.0.1', resolve));
  const port = (http401.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const issuerUrl = new URL(`${base}/`);
  const mcpUrl = `${base}/mcp`;

  for (const c of opts.clients ?? []) {
    clients.set(c.client_id, {
      ...c,
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: c.client_secret ? 'client_secret_post' : 'none',
    });
  }

  const state: OAuthTestServer = {
    mcpUrl,
    issuer: issuerUrl.href,
    refreshRequests: 0,
    reuseDetections: 0,
    revocations: [],
    authorizeRequests: [],
    tokenResources: [],
    registrations: [],
    registrationRequests: [],
    mcpCalls: 0,
    issuedSecrets: () => [...secrets],
    revokeAll: () => {
      for (const r of access.values()) r.revoked = true;
      for (const r of refresh.values()) r.revoked = true;
    },
    setAccessTtl: (s) => (accessTtl = s),
    setMcpOutage: (mode) => (outage = mode),
    close: () =>
      new Promise((resolve) => {
        http401.closeAllConnections();
        http401.close(() => resolve());
      }),
  };

  const revokeFamily = (family: string) => {
    for (const r of access.values()) if (r.family === family) r.revoked = true;
    for (const r of refresh.values()) if (r.family === family) r.revoked = true;
  };

  const issue = (grant: Grant): OAuthTokens => {
    const accessToken = random('at_');
    access.set(accessToken, { ...grant, expiresAt: Date.now() + accessTtl * 1000, revoked: false });
    secrets.push(accessToken);
    const tokens: OAuthTokens = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTtl,
      scope: grant.scopes.join(' '),
    };
    if (opts.refreshTokens !== false) {
      const refreshToken = random('rt_');
      refresh.set(refreshToken, { ...grant, used: false, revoked: false });
      secrets.push(refreshToken);
      tokens.refresh_token = refreshToken;
    }
    return tokens;
  };

  const clientsStore: OAuthRegisteredClientsStore = {
    getClient: (id) => clients.get(id),
    ...(opts.dcr === false
      ? {}
      : {
          registerClient: (client: Omit<OAuthClientInformationFull, 'client_id'>) => {
            const full = { ...client, client_id: random('dcr_') } as OAuthClientInformationFull;
            clients.set(full.client_id, full);
            state.registrations.push(full);
            return full;
          },
        }),
  };

  const provider: OAuthServerProvider = {
    clientsStore,
    async authorize(client, params: AuthorizationParams, res: Res) {
      const code = random('code_');
      codes.set(code, {
        clientId: client.client_id,
        challenge: params.codeChallenge,
        scopes: params.scopes ?? [],
        resource: params.resource?.href ?? '',
        redirect: params.redirectUri,
      });
      const target = new URL(params.redirectUri);
      target.searchParams.set('code', code);
      if (params.state !== undefined) target.searchParams.set('state', params.state);
      target.searchParams.set('iss', issuerUrl.href);
      res.redirect(302, target.href);
    },
    async challengeForAuthorizationCode(_client, code) {
      const c = codes.get(code);
      if (!c) throw new InvalidGrantError('unknown authorization code');
      return c.challenge;
    },
    async exchangeAuthorizationCode(client, code, _verifier, _redirect, resource) {
      const c = codes.get(code);
      codes.delete(code);
      if (!c || c.clientId !== client.client_id) throw new InvalidGrantError('bad code');
      state.tokenResources.push(resource?.href);
      if (resource && resource.href !== c.resource)
        throw new InvalidGrantError('resource mismatch');
      return issue({
        family: random('fam_'),
        clientId: client.client_id,
        scopes: c.scopes,
        resource: c.resource,
      });
    },
    async exchangeRefreshToken(client, token, _scopes, resource) {
      state.refreshRequests++;
      state.tokenResources.push(resource?.href);
      const r = refresh.get(token);
      if (!r || r.clientId !== client.client_id || r.revoked) {
        throw new InvalidGrantError('refresh token is not valid');
      }
      if (r.used) {
        // Reuse of a rotated refresh token: treat it as stolen and end the whole family.
        state.reuseDetections++;
        revokeFamily(r.family);
        throw new InvalidGrantError('refresh token reuse detected; the grant was revoked');
      }
      r.used = true;
      return issue({
        family: r.family,
        clientId: r.clientId,
        scopes: r.scopes,
        resource: r.resource,
      });
    },
    async verifyAccessToken(token): Promise<AuthInfo> {
      const r = access.get(token);
      if (!r || r.revoked) throw new InvalidTokenError('unknown or revoked token');
      return {
        token,
        clientId: r.clientId,
        scopes: r.scopes,
        expiresAt: Math.floor(r.expiresAt / 1000),
        resource: new URL(r.resource || 'http://invalid.invalid/'),
      };
    },
    ...(opts.revocation === false
      ? {}
      : {
          async revokeToken(_client: OAuthClientInformationFull, req: OAuthTokenRevocationRequest) {
            const a = access.get(req.token);
            const r = refresh.get(req.token);
            state.revocations.push({
              kind: a ? 'access_token' : r ? 'refresh_token' : 'unknown',
              hint: req.token_type_hint,
            });
            if (a) a.revoked = true;
            if (r) revokeFamily(r.family);
          },
        }),
  };

  const app = express();
  app.set('trust proxy', false);
  const routerOptions = {
    provider,
    issuerUrl,
    resourceServerUrl: new URL(mcpUrl),
    scopesSupported,
    resourceName: 'Switchboard OAuth test server',
    // Tests make many requests in seconds; the SDK's per-IP limits would turn them into 429s.
    authorizationOptions: { rateLimit: false as const },
    tokenOptions: { rateLimit: false as const },
    clientRegistrationOptions: { rateLimit: false as const },
    revocationOptions: { rateLimit: false as const },
  };
  // The SDK router's AS metadata plus RFC 9207's flag (we do put `iss` in the redirect).
  app.get('/.well-known/oauth-authorization-server', (_req, res) => {
    res.json({
      ...createOAuthMetadata(routerOptions),
      authorization_response_iss_parameter_supported: true,
      ...(opts.clientMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
    });
  });
  app.get('/authorize', (req, _res, next) => {
    state.authorizeRequests.push(new URL(req.url ?? '/', base).searchParams);
    next();
  });
  // The SDK's registration handler drops fields its schema lacks (application_type): keep the raw body.
  app.post('/register', express.json(), (req, _res, next) => {
    state.registrationRequests.push(req.body as Record<string, unknown>);
    next();
  });
  app.use(mcpAuthRouter(routerOptions));

  const resourceMetadataUrl = `${base}/.well-known/oauth-protected-resource/mcp`;
  const bearer = requireBearerAuth({
    verifier: provider,
    resourceMetadataUrl,
    expectedResource: new URL(mcpUrl),
  });
  app.all('/mcp', express.json(), bearer, async (req, res) => {
    state.mcpCalls++;
    if (outage === 'hang') return;
    if (outage === 'error') {
      res.status(503).json({ error: 'service unavailable' });
      return;
    }
    const body = req.body as { method?: string; params?: { name?: string } } | undefined;
    const granted = req.auth?.scopes ?? [];
    if (
      body?.method === 'tools/call' &&
      body.params?.name === 'admin-report' &&
      !granted.includes('mcp:admin')
    ) {
      res
        .status(403)
        .set(
          'WWW-Authenticate',
          `Bearer error="insufficient_scope", scope="mcp:admin", resource_metadata="${resourceMetadataUrl}", error_description="admin-report needs mcp:admin"`,
        )
        .json({ error: 'insufficient_scope' });
      return;
    }
    // Stateless: a server and transport per request, as the SDK's stateless example does.
    const server = buildMcpServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  http401.on('request', app);
  return state;
}

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'oauth-test-server', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes its input', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool('admin-report', { description: 'Needs the mcp:admin scope' }, async () => ({
    content: [{ type: 'text', text: 'admin report: all good' }],
  }));
  return server;
}
