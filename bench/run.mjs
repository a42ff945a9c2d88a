// `npm run bench`: bundles the TypeScript benchmarks with esbuild (no ts runtime needed) and
// runs the bridge benchmark (or, with `--era`, the protocol-era benchmark), forwarding its
// arguments. Output: JSON on stdout. The bridge under test is the built CLI, which
// bundleAndRun rebuilds first.
import { bundleAndRun } from '../scripts/bundle-ts.mjs';

await bundleAndRun(
  {
    'bridge-bench': 'bench/bridge-bench.ts',
    'era-bench': 'bench/era-bench.ts',
    'upstream-server': 'bench/upstream-server.ts',
    'modern-upstream-server': 'bench/modern-upstream-server.ts',
    'floor-server': 'bench/floor-server.ts',
    'forwarder-floor': 'bench/forwarder-floor.ts',
  },
  'out/bench',
  process.argv.includes('--era') ? 'era-bench' : 'bridge-bench',
);
