// `npm run bench`: bundles the TypeScript benchmarks with esbuild (no ts runtime needed) and
// runs the bridge benchmark, forwarding its arguments. Output: JSON on stdout.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: {
    'bridge-bench': 'bench/bridge-bench.ts',
    'upstream-server': 'bench/upstream-server.ts',
  },
  outdir: 'out/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  packages: 'external',
  logLevel: 'warning',
});
// The bridge under test is the built CLI.
spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
const r = spawnSync(process.execPath, ['out/bench/bridge-bench.mjs', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
