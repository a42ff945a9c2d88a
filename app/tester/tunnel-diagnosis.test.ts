import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome } from '../testing/temp-home.js';
import type { TestReport } from './test-connection.js';

// The edges (Cloudflare, ngrok, Tailscale Serve) cannot run here: each stand-in is a real HTTP
// server on 127.0.0.1 that answers the way that edge's documented error page does. The MCP side
// is a real SDK server.
type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];
let mcp: McpTestServer | undefined;

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await mcp?.close();
  mcp = undefined;
});

async function edge(routes: Record<string, Route>): Promise<string> {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url!, 'http://x').pathname];
    if (route) return route(req, res);
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

const page =
  (status: number, headers: Record<string, string>, body: string): Route =>
  (_q, res) =>
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);

async function test(
  url: string,
): Promise<{ code: number | null; report: TestReport; stderr: string }> {
  const tmp = await makeTempHome('sb-tunnel-');
  try {
    const r = await runCliProcess(['test', url, '--json'], { env: tmp.env });
    return { code: r.code, report: JSON.parse(r.stdout) as TestReport, stderr: r.stderr };
  } finally {
    await tmp.cleanup();
  }
}

it('ngrok ERR_NGROK_8012: the tunnel is up but the server behind it is not', async () => {
  const url = await edge({
    '/mcp': page(
      502,
      { 'ngrok-error-code': 'ERR_NGROK_8012' },
      '<!DOCTYPE html><html><body>Traffic successfully made it to the ngrok agent, but the agent failed to establish a connection to the upstream web service. ERR_NGROK_8012</body></html>',
    ),
  });
  const { code, report } = await test(url);
  expect(code).toBe(1);
  expect(report.tunnel).toMatchObject({
    edge: 'ngrok',
    state: 'server-down',
    code: 'ERR_NGROK_8012',
  });
  expect(report.failure?.message).toContain('tunnel for 127.0.0.1');
  expect(report.failure?.message).toContain('is up but the server behind it is not answering');
  expect(report.failure?.message).not.toMatch(/JSON|Unexpected token/i);
});

it('ngrok ERR_NGROK_3200 (endpoint offline): the tunnel itself is down', async () => {
  const url = await edge({
    '/mcp': page(
      404,
      {},
      '<html><body>The endpoint abc.ngrok-free.app is offline. ERR_NGROK_3200</body></html>',
    ),
  });
  const { report } = await test(url);
  expect(report.tunnel).toMatchObject({ edge: 'ngrok', state: 'tunnel-down' });
  expect(report.failure?.message).toContain('no tunnel is online');
});

it('Cloudflare 530 / error 1033: the tunnel is not connected', async () => {
  const url = await edge({
    '/mcp': page(
      530,
      { server: 'cloudflare', 'cf-ray': '8f1e2d3c4b5a6978-AMS' },
      '<html><title>Cloudflare Tunnel error</title><body>Error 1033 · Argo Tunnel error</body></html>',
    ),
  });
  const { report } = await test(url);
  expect(report.tunnel).toMatchObject({ edge: 'cloudflare', state: 'tunnel-down', code: '1033' });
  expect(report.failure?.message).toContain('start cloudflared');
});

it('Cloudflare 502 from the edge: up, but the origin behind it is not answering', async () => {
  const url = await edge({
    '/mcp': page(
      502,
      { server: 'cloudflare' },
      '<html><body>Bad gateway Error code 502 · cloudflare</body></html>',
    ),
  });
  const { report } = await test(url);
  expect(report.tunnel).toMatchObject({ edge: 'cloudflare', state: 'server-down' });
});

it('/healthz next to the MCP URL is probed and reported; a plain proxy 502 is named', async () => {
  const url = await edge({
    '/mcp': page(502, {}, '<html><body><h1>502 Bad Gateway</h1></body></html>'),
    '/healthz': (_q, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  });
  const { report } = await test(url);
  expect(report.tunnel).toMatchObject({ edge: 'proxy', state: 'server-down', httpStatus: 502 });
  expect(report.healthz).toMatchObject({
    ok: true,
    httpStatus: 200,
    url: url.replace('/mcp', '/healthz'),
  });
});

it('a real MCP server with no /healthz: no tunnel verdict, no healthz line, exit 0', async () => {
  mcp = await startMcpTestServer();
  const { code, report, stderr } = await test(mcp.url);
  expect(code, stderr).toBe(0);
  expect(report.tunnel).toBeUndefined();
  expect(report.healthz).toBeUndefined();
});
