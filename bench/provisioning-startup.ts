/**
 * What per-tenant provisioning costs a bridge: spawn → initialize answered → first tools/call
 * answered, for a bearer project, a provisioned one on the shared endpoint (no consent), and one
 * on a cached per-tenant endpoint; plus the `switchboard provision` CLI against the local control
 * plane. Real keychain: run inside scripts/with-keyring.sh. Prints JSON.
 * Run: bash scripts/with-keyring.sh node_modules/.bin/jiti bench/provisioning-startup.ts
 * (needs `npm run build:cli`).
 */
import { performance } from 'node:perf_hooks';
import { spawnBridge } from '../app/testing/bridge-process.js';
import { startControlPlane } from '../app/testing/control-plane.js';
import { startMcpTestServer } from '../app/testing/mcp-test-server.js';
import { runCliProcess } from '../app/testing/run-cli.js';
import { makeTempHome } from '../app/testing/temp-home.js';

const RUNS = Number(process.env.SB_BENCH_RUNS ?? 10);
const KEY = `KEY_${'7c7c7c7c'.repeat(5)}`;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1));
  return { runs: s.length, p50: at(0.5), p95: at(0.95), max: Number(s[s.length - 1]!.toFixed(1)) };
}

async function session(project: string, env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const b = spawnBridge(project, env);
  try {
    await b.handshake();
    const init = performance.now() - started;
    const call = await b.request('c', 'tools/call', { name: 'echo', arguments: { message: 'x' } });
    if (call.error) throw new Error(JSON.stringify(call.error));
    const first = performance.now() - started;
    b.closeStdin();
    await b.exited;
    return { init, first };
  } finally {
    b.kill();
  }
}

async function main() {
  const tmp = await makeTempHome('sb-bench-prov-');
  const cp = await startControlPlane({ apiKey: KEY });
  const plain = await startMcpTestServer({ token: KEY });
  const cli = (args: string[], stdin?: string) =>
    runCliProcess(args, { env: tmp.env, ...(stdin ? { stdin } : {}) });
  try {
    await cli(['project', 'add', 'plain', '--url', plain.url, '--token-stdin'], KEY);
    await cli(
      [
        'project',
        'add',
        'prov',
        '--auth',
        'provisioned',
        '--control-plane',
        cp.url,
        '--shared-url',
        cp.sharedUrl,
        '--api-key-stdin',
      ],
      KEY,
    );
    const measure = async (project: string) => {
      const init: number[] = [];
      const first: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await session(project, tmp.env);
        init.push(r.init);
        first.push(r.first);
      }
      return { initializeMs: stats(init), firstCallMs: stats(first) };
    };
    const bearer = await measure('plain');
    const sharedNoConsent = await measure('prov');
    const provisionMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await cli([
        'provision',
        'prov',
        '--reset',
        ...(i === 0 ? ['--accept-full-scope'] : []),
      ]);
      if (r.code !== 0) throw new Error(r.stderr);
      provisionMs.push(performance.now() - t);
    }
    const callsBefore = cp.callCount();
    const perTenantCached = await measure('prov');
    const controlPlaneCallsDuringCachedSessions = cp.callCount() - callsBefore;
    process.stdout.write(
      JSON.stringify(
        {
          bench: 'provisioning-startup',
          runs: RUNS,
          bridge: { bearer, sharedNoConsent, perTenantCached },
          cliProvisionWithResetMs: stats(provisionMs),
          controlPlaneCallsDuringCachedSessions,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await plain.close();
    await cp.close();
    await tmp.cleanup();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
