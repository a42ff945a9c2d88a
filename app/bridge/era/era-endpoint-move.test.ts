import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Project } from '../../projects/project.js';
import { startModernServer, type ModernServer } from '../../testing/modern-server.js';
import { makeTempHome, type TempHome } from '../../testing/temp-home.js';
import { until } from '../../testing/until.js';
import type { CredentialProvider } from '../../tokens/credentials.js';
import { runBridge } from '../run-bridge.js';

// A 2026-07-28 client is stateless: when the project's endpoint moves mid-session (a per-tenant
// endpoint is provisioned or withdrawn: CredentialState.url), its next request must go to the
// new endpoint, with no initialize to replay. Real pieces: two real v2 servers on 127.0.0.1, the
// bridge's own runBridge on a pair of streams. The credential provider is the test's (it stands
// in for app/provisioning, whose control plane only has 2025 test servers): it says which URL
// the project's credential belongs to.
let home: TempHome;
let a: ModernServer;
let b: ModernServer;
let stdin: PassThrough;
let stdout: PassThrough;
let lines: Array<Record<string, unknown>>;
let done: Promise<number>;
let target: string;

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'stateless-client', version: '1' },
};

beforeEach(async () => {
  home = await makeTempHome('sb-era-move-');
  [a, b] = await Promise.all([startModernServer(), startModernServer()]);
  target = a.url;
  const credentials: CredentialProvider = {
    current: async () => ({ ok: true, headers: {}, secretValues: [], url: target }),
    markUsed: () => undefined,
    close: () => undefined,
  };
  const project: Project = {
    id: 'prj_movetest0001',
    name: 'moving',
    displayName: 'moving',
    url: a.url,
    auth: 'provisioned',
    headers: {},
    secretHeaders: [],
    connected: true,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  } as Project;
  stdin = new PassThrough();
  stdout = new PassThrough();
  lines = [];
  let buf = '';
  stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 1);
    }
  });
  done = runBridge({
    dataDir: home.dataDir,
    project,
    stdin,
    stdout,
    credentials,
    stderr: () => undefined,
    env: { SWITCHBOARD_SECRET_STORE: 'file' },
  });
});
afterEach(async () => {
  stdin.end();
  await done;
  await Promise.all([a.close(), b.close()]);
  await home.cleanup();
});

async function call(id: string, message: string) {
  stdin.write(
    JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message }, _meta: META },
    }) + '\n',
  );
  await until(() => lines.some((l) => l.id === id), 10_000);
  return lines.find((l) => l.id === id)!;
}

it('a stateless client follows the endpoint when it moves mid-session', async () => {
  stdin.write(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 'd',
      method: 'server/discover',
      params: { _meta: META },
    }) + '\n',
  );
  await until(() => lines.some((l) => l.id === 'd'), 10_000);
  expect(lines.find((l) => l.id === 'd')).toHaveProperty('result.supportedVersions');

  expect(await call('1', 'before the move')).toHaveProperty('result');
  expect(a.count('tools/call')).toBe(1);
  expect(b.count('tools/call')).toBe(0);

  target = b.url; // the per-tenant endpoint came (or went)
  const moved = await call('2', 'after the move');
  expect(moved, JSON.stringify(moved)).toHaveProperty('result');
  expect(JSON.stringify(moved)).toContain('after the move');
  expect(b.count('tools/call')).toBe(1);
  expect(a.count('tools/call')).toBe(1);
  // Stateless on both sides: nothing was initialized anywhere.
  expect([...a.seen, ...b.seen].some((s) => s.rpcMethod === 'initialize')).toBe(false);
});
