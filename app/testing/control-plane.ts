import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMcpTestServer, type McpTestServer } from './mcp-test-server.js';

/**
 * How the deploy endpoint answers: `ok` 200 ready at once; `accepted` 202 (then ready after
 * `pollsUntilReady` polls); `404`/`500`; a ready answer `missing-<field>`; `network-error`
 * (the socket is destroyed); `hang` (never answers, so the client's deadline must end it).
 */
export type DeployMode =
  | 'ok'
  | 'accepted'
  | '404'
  | '500'
  | 'missing-url'
  | 'missing-func_id'
  | 'missing-shared_secret'
  | 'network-error'
  | 'hang';

/** Where a 202 tells the client to poll: a Location header, `data.status_url`, or nowhere (deploy again). */
export type PollVia = 'location' | 'status_url' | 'redeploy';

export interface ControlPlaneCall {
  method: string;
  path: string;
  /** Whether the request carried the API key (the only credential the control plane takes). */
  authorized: boolean;
}

export interface ControlPlane {
  /** Base URL of the deploy API (what a project's `--control-plane` is). */
  url: string;
  /** The shared hosted MCP endpoint: accepts only the API key. */
  sharedUrl: string;
  shared: McpTestServer;
  /** The per-tenant MCP endpoint the deploy returns: accepts only its current shared secret. */
  tenant: McpTestServer;
  calls: ControlPlaneCall[];
  /** Vendor-side secrets by name (the value is the stored API key). */
  secrets: Map<string, { id: string; value: string }>;
  /** Every shared secret handed out, newest last. */
  sharedSecrets: string[];
  deletedFunctions: string[];
  deletedSecrets: string[];
  /** Is a per-tenant function deployed right now? */
  deployed(): boolean;
  setMode(mode: DeployMode, opts?: { pollsUntilReady?: number; via?: PollVia }): void;
  /** Calls to the deploy API so far (secrets + deploy + polls + deletes). */
  callCount(): number;
  close(): Promise<void>;
}

/**
 * A local vendor control plane implementing the edge-compute deploy API the way
 * app/provisioning/deploy-api.ts speaks it, on 127.0.0.1, with every failure mode of issue 14.
 * Deploy is idempotent by secret: the same function comes back, with a fresh shared secret
 * each time a deploy completes (the old one stops working — rotation by re-provisioning).
 */
export async function startControlPlane(opts: { apiKey: string }): Promise<ControlPlane> {
  const shared = await startMcpTestServer({ token: opts.apiKey });
  // Until a deploy, the tenant endpoint takes no bearer anyone knows.
  const tenant = await startMcpTestServer({ token: crypto.randomBytes(24).toString('hex') });
  const calls: ControlPlaneCall[] = [];
  const secrets = new Map<string, { id: string; value: string }>();
  const sharedSecrets: string[] = [];
  const deletedFunctions: string[] = [];
  const deletedSecrets: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  let mode: DeployMode = 'ok';
  let pollsUntilReady = 2;
  let via: PollVia = 'location';
  let pending: { polls: number; secretId: string } | undefined;
  let funcId: string | undefined;

  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const ready = (secretId: string) => {
    funcId ??= `fn_${crypto.createHash('sha256').update(secretId).digest('hex').slice(0, 10)}`;
    const secret = `ss_${crypto.randomBytes(24).toString('hex')}`;
    sharedSecrets.push(secret);
    tenant.setToken(secret);
    const data: Record<string, string> = {
      url: tenant.url,
      func_id: funcId,
      shared_secret: secret,
      status: 'ready',
    };
    if (mode === 'missing-url') delete data.url;
    if (mode === 'missing-func_id') delete data.func_id;
    if (mode === 'missing-shared_secret') delete data.shared_secret;
    return { data };
  };
  const statusPath = (secretId: string) => `/v2/compute/mcp/deploy/status/${secretId}`;
  const inProgress = (res: http.ServerResponse, secretId: string) => {
    const headers: Record<string, string> =
      via === 'location' ? { location: statusPath(secretId) } : {};
    const data: Record<string, string> = { status: 'provisioning' };
    if (via === 'status_url') data.status_url = `${base}${statusPath(secretId)}`;
    json(res, 202, { data }, headers);
  };
  const advance = (res: http.ServerResponse, secretId: string) => {
    if (!pending || pending.secretId !== secretId) pending = { polls: 0, secretId };
    if (pending.polls >= pollsUntilReady) {
      pending = undefined;
      return json(res, 200, ready(secretId));
    }
    pending.polls++;
    inProgress(res, secretId);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const authorized = req.headers.authorization === `Bearer ${opts.apiKey}`;
      calls.push({ method: req.method ?? '', path: url.pathname, authorized });
      if (!authorized) return json(res, 401, { errors: [{ detail: 'invalid API key' }] });
      let body: Record<string, unknown>;
      try {
        body = chunks.length
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
          : {};
      } catch {
        return json(res, 400, { errors: [{ detail: 'bad JSON' }] });
      }
      const p = url.pathname;
      if (req.method === 'GET' && p === '/v2/compute/secrets') {
        const name = url.searchParams.get('filter[name]');
        const list = [...secrets.entries()]
          .filter(([n]) => name === null || n === name)
          .map(([n, s]) => ({ id: s.id, name: n }));
        return json(res, 200, { data: list });
      }
      if (req.method === 'POST' && p === '/v2/compute/secrets') {
        const { name, value } = body as { name?: string; value?: string };
        if (!name || !value) return json(res, 422, { errors: [{ detail: 'name and value' }] });
        const existing = secrets.get(name);
        const id = existing?.id ?? `sec_${crypto.randomBytes(6).toString('hex')}`;
        secrets.set(name, { id, value }); // upsert by name
        return json(res, existing ? 200 : 201, { data: { id, name } });
      }
      if (req.method === 'POST' && p === '/v2/compute/mcp/deploy') {
        const secretId = (body as { api_key_secret_id?: string }).api_key_secret_id;
        if (![...secrets.values()].some((s) => s.id === secretId)) {
          return json(res, 422, { errors: [{ detail: 'unknown api_key_secret_id' }] });
        }
        switch (mode) {
          case '404':
            return json(res, 404, { errors: [{ detail: 'not found' }] });
          case '500':
            return json(res, 500, { errors: [{ detail: 'boom' }] });
          case 'network-error':
            req.socket.destroy();
            return;
          case 'hang':
            hanging.add(res);
            return;
          case 'accepted':
            return advance(res, secretId!);
          default:
            return json(res, 200, ready(secretId!));
        }
      }
      if (req.method === 'GET' && p.startsWith('/v2/compute/mcp/deploy/status/')) {
        return advance(res, p.slice('/v2/compute/mcp/deploy/status/'.length));
      }
      if (req.method === 'DELETE' && p.startsWith('/v2/compute/mcp/functions/')) {
        const id = decodeURIComponent(p.slice('/v2/compute/mcp/functions/'.length));
        if (id !== funcId) return json(res, 404, { errors: [{ detail: 'no such function' }] });
        deletedFunctions.push(id);
        funcId = undefined;
        tenant.setToken(crypto.randomBytes(24).toString('hex'));
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'DELETE' && p.startsWith('/v2/compute/secrets/')) {
        const id = decodeURIComponent(p.slice('/v2/compute/secrets/'.length));
        const name = [...secrets.entries()].find(([, s]) => s.id === id)?.[0];
        if (!name) return json(res, 404, { errors: [{ detail: 'no such secret' }] });
        secrets.delete(name);
        deletedSecrets.push(id);
        res.writeHead(204).end();
        return;
      }
      json(res, 404, { errors: [{ detail: `no route ${req.method} ${p}` }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    sharedUrl: shared.url,
    shared,
    tenant,
    calls,
    secrets,
    sharedSecrets,
    deletedFunctions,
    deletedSecrets,
    deployed: () => funcId !== undefined,
    setMode(next, o = {}) {
      mode = next;
      pollsUntilReady = o.pollsUntilReady ?? 2;
      via = o.via ?? 'location';
      pending = undefined;
    },
    callCount: () => calls.length,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([shared.close(), tenant.close()]);
    },
  };
}
