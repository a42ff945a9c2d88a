import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { clientSpawnEnv } from '../testing/client-env.js';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Real peers: the built bridge with a client's stripped environment, an SDK-built server.
let home: TempHome;
let server: McpTestServer;
let bridge: BridgeProcess | undefined;

beforeEach(async () => {
  home = await makeTempHome('sb-sigterm-');
});

afterEach(async () => {
  bridge?.kill();
  await server?.close();
  await home.cleanup();
});

it('shuts down cleanly on SIGTERM after it took a file lock (the lock library hooks signals)', async () => {
  const token = 'sbtest_' + 'c'.repeat(32);
  server = await startMcpTestServer({ token });
  await new ProjectsService(home.dataDir).add({ name: 'locked', url: server.url, auth: 'bearer' });
  const added = await runCliProcess(['token', 'add', 'locked', '--token-stdin'], {
    env: { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' },
    stdin: token,
  });
  expect(added.code, added.stderr).toBe(0);
  bridge = spawnBridge(
    'locked',
    clientSpawnEnv(home.home, { SWITCHBOARD_HOME: home.dataDir, SWITCHBOARD_SECRET_STORE: 'file' }),
  );
  await bridge.handshake();
  await bridge.request(1, 'tools/call', { name: 'echo', arguments: { message: 'x' } });
  // Marking the token used writes tokens.json under a cross-process lock.
  const tokens = path.join(home.dataDir, 'tokens.json');
  for (let i = 0; i < 150 && !(await fs.readFile(tokens, 'utf8')).includes('lastUsedAt'); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await fs.readFile(tokens, 'utf8')).toContain('lastUsedAt');
  bridge.child.kill('SIGTERM');
  const exit = await bridge.exited;
  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(server.deletes).toBe(1);
  const dir = path.join(home.dataDir, 'audit');
  const audit = (
    await Promise.all((await fs.readdir(dir)).map((f) => fs.readFile(path.join(dir, f), 'utf8')))
  ).join('');
  expect(audit).toContain('"session-end"');
});
