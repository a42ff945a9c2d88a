// `npm run bench:oauth`: what OAuth costs, measured against the real test AS on 127.0.0.1 with
// the built CLI and real bridge processes (explicit file secret store in a throwaway HOME, so it
// runs without a desktop keychain). Prints one JSON document; never a pass/fail.
//   login:   wall time of `switchboard login --consent` (spawn → signed in), N runs
//   call:    a tools/call through a signed-in bridge (median of N)
//   refresh: the first call after the access token expired (includes the refresh and, the first
//            time in a bridge, loading the SDK's token-endpoint module), then a second one
//   race:    5 bridges × 4 concurrent calls after expiry: time until every call answered, and
//            the refresh requests (handshakes included) and reuse detections the AS saw
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnBridge, type BridgeProcess } from '../app/testing/bridge-process.js';
import { fetchBrowserCommand } from '../app/testing/fetch-browser-command.js';
import { startOAuthTestServer } from '../app/testing/oauth-server.js';
import { runCliProcess } from '../app/testing/run-cli.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number) => Math.round(x * 10) / 10;

const home = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-oauth-'));
const dataDir = path.join(home, 'data');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  SWITCHBOARD_HOME: dataDir,
  SWITCHBOARD_SECRET_STORE: 'file',
  BROWSER: fetchBrowserCommand(),
};
const as = await startOAuthTestServer({ accessTtlSeconds: 3600 });
const bridges: BridgeProcess[] = [];
const cli = async (args: string[]) => {
  const r = await runCliProcess(args, { env, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`switchboard ${args.join(' ')}: ${r.stderr}`);
  return r;
};
try {
  await cli(['project', 'add', 'bench', '--url', as.mcpUrl, '--auth', 'oauth']);
  const projectId = (
    JSON.parse((await cli(['project', 'list', '--json'])).stdout) as Array<{ id: string }>
  )[0]!.id;

  const login: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await cli(['login', 'bench', '--consent']);
    login.push(performance.now() - t);
  }

  const bridge = spawnBridge(projectId, env);
  bridges.push(bridge);
  await bridge.handshake();
  const call: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const t = performance.now();
    await bridge.request(`c${i}`, 'tools/call', { name: 'echo', arguments: { text: 'x' } });
    call.push(performance.now() - t);
  }

  // A short-lived token: the next call refreshes first.
  as.setAccessTtl(2);
  await cli(['login', 'bench', '--consent']);
  as.setAccessTtl(3600);
  await sleep(2300);
  const before = as.refreshRequests;
  let t = performance.now();
  const first = await bridge.request('after-expiry', 'tools/call', {
    name: 'echo',
    arguments: { text: 'x' },
  });
  if (!('result' in first)) throw new Error(`call after expiry failed: ${JSON.stringify(first)}`);
  const refresh = performance.now() - t;
  const refreshRequests = as.refreshRequests - before;
  // Again in the same bridge: the SDK's token-endpoint module is loaded by now.
  as.setAccessTtl(2);
  await cli(['login', 'bench', '--consent']);
  as.setAccessTtl(3600);
  await sleep(2300);
  t = performance.now();
  const second = await bridge.request('after-expiry-2', 'tools/call', {
    name: 'echo',
    arguments: { text: 'x' },
  });
  if (!('result' in second))
    throw new Error(`2nd call after expiry failed: ${JSON.stringify(second)}`);
  const warmRefresh = performance.now() - t;
  bridge.kill();

  const raceBefore = as.refreshRequests;
  as.setAccessTtl(2);
  await cli(['login', 'bench', '--consent']);
  as.setAccessTtl(3600);
  for (let i = 0; i < 5; i++) bridges.push(spawnBridge(projectId, env));
  const racers = bridges.slice(1);
  await Promise.all(racers.map((b) => b.handshake()));
  await sleep(2300);
  t = performance.now();
  const answers = await Promise.all(
    racers.flatMap((b) =>
      [1, 2, 3, 4].map((n) =>
        b.request(`r${n}`, 'tools/call', { name: 'echo', arguments: { text: 'x' } }, 30_000),
      ),
    ),
  );
  const race = performance.now() - t;
  const failed = answers.filter((a) => !('result' in a)).length;
  if (failed > 0) throw new Error(`${failed} race calls failed: ${JSON.stringify(answers[0])}`);

  process.stdout.write(
    JSON.stringify(
      {
        runs: RUNS,
        loginMs: { median: round(median(login)), all: login.map(round) },
        callMs: { median: round(median(call)) },
        firstCallAfterExpiryMs: round(refresh),
        secondCallAfterExpiryMs: round(warmRefresh),
        refreshRequestsForThatCall: refreshRequests,
        race: {
          bridges: 5,
          callsEach: 4,
          allAnsweredMs: round(race),
          refreshRequests: as.refreshRequests - raceBefore,
          reuseDetections: as.reuseDetections,
        },
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  for (const b of bridges) b.kill();
  await as.close();
  await fs.rm(home, { recursive: true, force: true });
}
