import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 16 item 11: the token-issuing API answers the mint request with a 307 to another
// origin. Two real servers on 127.0.0.1 (different ports are different origins).
let tmp: TempHome;
let services: Services;
const servers: http.Server[] = [];
const ISSUER_KEY = 'issuer-key-value-0123456789';

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  tmp = await makeTempHome('sb-issuer-redirect-');
  services = createServices({
    dataDir: tmp.dataDir,
    env: { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' },
  });
});
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await tmp.cleanup();
});

describe('gateway issuer redirects', () => {
  it('never follows a redirect off the issuer origin, so the key and the mint stay there', async () => {
    const elsewhere: Array<{ url?: string; auth?: string }> = [];
    const other = await listen((req, res) => {
      elsewhere.push({ url: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'r1',
          token: 'attacker_token_0123456789abcdef',
          name: 'x',
          expires_at: null,
        }),
      );
    });
    const issuer = await listen((req, res) => {
      res.writeHead(307, { location: `${other}${req.url}` });
      res.end();
    });
    await services.projects.add({
      name: 'gw',
      url: `${issuer}/mcp`,
      auth: 'bearer',
      issuer: { kind: 'gateway', url: issuer, project: 'p1' },
    });
    await services.tokens.add({
      project: 'gw',
      value: ISSUER_KEY,
      kind: 'issuer-key',
      name: 'issuer',
    });
    await expect(services.tokens.mint({ project: 'gw' })).rejects.toThrow(/redirected elsewhere/);
    expect(elsewhere).toEqual([]);
    const tokens = await services.tokens.list('gw');
    expect(tokens.map((t) => t.kind)).toEqual(['issuer-key']);
  });
});
