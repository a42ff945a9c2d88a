import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { DeployApi, ProvisioningError } from './deploy-api.js';

// The API key goes to the control plane and nowhere else: not to a status URL on another host,
// not through a redirect, and a deploy answer naming a plain-http remote endpoint is refused.
const KEY = 'KEY_never_elsewhere_0123456789';
const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function failure(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisioningError);
  return (error as ProvisioningError).short;
}

it('never follows a status URL to another host', async () => {
  const elsewhere = await serve((_req, res) => json(res, 200, {}));
  const cp = await serve((_req, res) =>
    json(res, 202, { data: { status: 'provisioning' } }, { location: `${elsewhere.url}/status` }),
  );
  const api = new DeployApi({ controlPlane: cp.url, apiKey: KEY });
  expect(await failure(api.deploy('sec_1', { deadlineMs: 3000 }))).toBe(
    'the control plane sent a status URL on another host',
  );
  expect(elsewhere.seen).toEqual([]);
});

it('does not follow redirects with the key', async () => {
  const elsewhere = await serve((_req, res) => json(res, 200, { data: [] }));
  const cp = await serve((_req, res) => {
    res.writeHead(307, { location: `${elsewhere.url}/v2/compute/secrets` });
    res.end();
  });
  const api = new DeployApi({ controlPlane: cp.url, apiKey: KEY });
  expect(await failure(api.findSecret('switchboard-mcp-abc'))).toBe(
    'HTTP 307 from the secrets lookup',
  );
  expect(elsewhere.seen).toEqual([]);
});

it('refuses a per-tenant URL that is plain http to another machine', async () => {
  const cp = await serve((_req, res) =>
    json(res, 200, {
      data: {
        url: 'http://mcp.example.com/mcp',
        func_id: 'f',
        shared_secret: 's',
        status: 'ready',
      },
    }),
  );
  const api = new DeployApi({ controlPlane: cp.url, apiKey: KEY });
  expect(await failure(api.deploy('sec_1'))).toBe('the deploy answer has a url that is not https');
});

it('a status reported as failed ends the wait at once', async () => {
  const cp = await serve((_req, res) => json(res, 200, { data: { status: 'failed' } }));
  const api = new DeployApi({ controlPlane: cp.url, apiKey: KEY });
  expect(await failure(api.deploy('sec_1'))).toBe('the control plane reports status "failed"');
  expect(cp.seen).toHaveLength(1);
  expect(cp.seen[0]).toContain(`Bearer ${KEY}`);
});
