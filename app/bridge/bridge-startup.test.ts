import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startModernServer, type ModernServer } from '../testing/modern-server.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { startMcpTestServer } from '../testing/mcp-test-server.js';
import { REPO_ROOT, runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';

// What a bridge spawn does before its first answer, on the built CLI as clients spawn it (the
// SDK's stripped environment) against the real 2026-07-28 test server: the V8 code cache the
// loader keeps in the data directory (app/bridge/code-cache.ts), and the built-ins it leaves
// for later (app/platform/lazy-builtin.ts).
const TOKEN = 'sbt_cache_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6';

let home: TempHome;
let server: ModernServer;
let env: NodeJS.ProcessEnv;
let cacheDir: string;

beforeAll(async () => {
  home = await makeTempHome('sb-bridge-startup-');
  server = await startModernServer();
  await new ProjectsService(home.dataDir).add({ name: 'modern', url: server.url, auth: 'none' });
  env = { ...home.env, SWITCHBOARD_SECRET_STORE: 'file', SWITCHBOARD_BRIDGE_DEBUG: '1' };
  cacheDir = path.join(home.dataDir, 'cache');
});
afterAll(async () => {
  await server?.close();
  await home?.cleanup();
});

const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);

/** One client session: handshake, a tool call, stdin closed; resolves with what it printed. */
async function session(opts: { nodeArgs?: string[]; extraEnv?: NodeJS.ProcessEnv } = {}) {
  const bridge: BridgeProcess = spawnBridge('modern', { ...env, ...opts.extraEnv }, opts);
  try {
    const init = await bridge.handshake();
    expect(init.result, bridge.stderr()).toMatchObject({ protocolVersion: '2025-06-18' });
    const call = await bridge.request(2, 'tools/call', {
      name: 'echo',
      arguments: { message: 'start-up' },
    });
    expect(JSON.stringify(call.result)).toContain('start-up');
    return bridge.stderr();
  } finally {
    bridge.closeStdin();
    await bridge.exited;
  }
}

describe('the bridge code cache', () => {
  it('the first spawn writes it after its first answer, the next compiles from it', async () => {
    expect(await session()).toContain('code cache: miss');
    const [name, ...others] = cacheFiles();
    expect(others).toEqual([]);
    expect(name).toMatch(/^bridge-[0-9a-f]{16}-[0-9a-f]{8}\.v8$/);
    expect(fs.statSync(path.join(cacheDir, name!)).mode & 0o777).toBe(0o600);
    const before = fs.statSync(path.join(cacheDir, name!)).mtimeMs;
    expect(await session()).toContain('code cache: hit');
    expect(fs.statSync(path.join(cacheDir, name!)).mtimeMs).toBe(before);
  });

  it('a damaged cache is refused, the session works, and the cache is written again', async () => {
    await until(() => cacheFiles().length === 1);
    const file = path.join(cacheDir, cacheFiles()[0]!);
    const garbage = Buffer.alloc(fs.statSync(file).size, 0x5a);
    fs.writeFileSync(file, garbage);
    expect(await session()).toContain('code cache: refused');
    expect(fs.readFileSync(file).equals(garbage)).toBe(false);
    expect(await session()).toContain('code cache: hit');
  });
});

describe('import() from code the cache restored (V8 drops its dynamic-import options)', () => {
  it('the SDK transport chunk loads on a cache hit', async () => {
    const sdk = { SWITCHBOARD_BRIDGE_TRANSPORT: 'sdk' };
    await session({ extraEnv: sdk });
    const err = await session({ extraEnv: sdk });
    expect(err).toContain('code cache: hit');
  });

  it('the keychain module loads on a cache hit: a bearer token from the real Secret Service', async () => {
    requireKeyringSession();
    const server = await startMcpTestServer({ token: TOKEN });
    try {
      const cli = (args: string[], stdin?: string) =>
        runCliProcess(args, { env: { ...home.env }, stdin });
      expect(
        (await cli(['project', 'add', 'keyed', '--url', server.url, '--auth', 'bearer'])).code,
      ).toBe(0);
      expect((await cli(['token', 'add', 'keyed', '--token-stdin'], TOKEN)).code).toBe(0);
      // The keychain (not the file store) and a cache written by an earlier session.
      const keychainEnv = { ...home.env, SWITCHBOARD_BRIDGE_DEBUG: '1' };
      for (const round of [1, 2]) {
        const bridge = spawnBridge('keyed', keychainEnv);
        try {
          await bridge.handshake();
          const call = await bridge.request(2, 'tools/call', {
            name: 'echo',
            arguments: { message: `round ${round}` },
          });
          expect(call.error, bridge.stderr()).toBeUndefined();
          if (round === 2) expect(bridge.stderr()).toContain('code cache: hit');
        } finally {
          bridge.closeStdin();
          await bridge.exited;
        }
      }
    } finally {
      await server.close();
    }
  });
});

describe('a code cache someone else could have written', () => {
  it('is never followed through a symbolic link', async () => {
    await until(() => cacheFiles().length === 1);
    const file = path.join(cacheDir, cacheFiles()[0]!);
    const elsewhere = path.join(home.home, 'elsewhere.v8');
    fs.renameSync(file, elsewhere);
    fs.symlinkSync(elsewhere, file);
    const before = fs.readFileSync(elsewhere);
    expect(await session()).toContain('code cache: miss');
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(elsewhere).equals(before)).toBe(true);
  });

  it('writable by other users: the bridge refuses the data dir, the cache is not run', async () => {
    const file = path.join(cacheDir, cacheFiles()[0]!);
    fs.chmodSync(file, 0o666);
    try {
      const bridge = spawnBridge('modern', env);
      const exit = await bridge.exited;
      expect(exit.code).toBe(1);
      expect(bridge.stderr()).toContain('is writable by other users');
      expect(bridge.stderr()).not.toContain('code cache: hit');
    } finally {
      fs.chmodSync(file, 0o600);
    }
  });
});

describe('before its first answer', () => {
  it('a bridge for a cached 2026 server loads none of node:crypto, http(s), fs/promises, v8, perf_hooks', async () => {
    // The era (and the server's DiscoverResult) is cached by the sessions above: this spawn
    // answers initialize without the network. Node options before the CLI are the test's probe.
    const modulesFile = path.join(home.home, 'first-answer-modules.txt');
    await session({
      nodeArgs: ['-r', path.join(REPO_ROOT, 'app', 'testing', 'first-answer-modules.cjs')],
      extraEnv: { SWITCHBOARD_TEST_MODULES_FILE: modulesFile },
    });
    const loaded = fs.readFileSync(modulesFile, 'utf8').trim().split('\n');
    // The probe saw the process (a sanity check that it ran where it should).
    expect(loaded).toEqual(expect.arrayContaining(['fs', 'path']));
    for (const lazy of ['crypto', 'http', 'https', 'tls', 'fs/promises', 'v8', 'perf_hooks'])
      expect(loaded, `${lazy} loaded before the first answer`).not.toContain(lazy);
  });
});

describe('after a burst (app/bridge/idle-trim.ts)', () => {
  // A smoke test of the wiring in a real bridge (the trim logic is idle-trim.test.ts): the first
  // quiet look after a burst runs the collection, the runtime call compiles in this V8, and the
  // bridge answers as before. Memory figures are the era bench's (no memory asserts here).
  it('a quiet bridge runs its collection after a burst and answers as before', async () => {
    const bridge = spawnBridge('modern', env);
    try {
      await bridge.handshake();
      // A burst of concurrent calls with ~20 KB answers grows the heap well past its resting size.
      const big = 'x'.repeat(20_000);
      for (let round = 0; round < 5; round++) {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            bridge.request(100 + round * 40 + i, 'tools/call', {
              name: 'echo',
              arguments: { message: big },
            }),
          ),
        );
      }
      // Bounded wait for the trimmer's quiet looks (2 s apart at first).
      await until(() => /idle trim: heap [\d.]+ → [\d.]+ MB/.test(bridge.stderr()), 30_000);
      const call = await bridge.request(900, 'tools/call', {
        name: 'echo',
        arguments: { message: 'after the trim' },
      });
      expect(JSON.stringify(call.result)).toContain('after the trim');
      expect(bridge.stderr()).not.toContain('unexpected error');
    } finally {
      bridge.closeStdin();
      await bridge.exited;
    }
  }, 60_000);
});
