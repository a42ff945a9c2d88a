// `npm run bench`: bundles the TypeScript benchmarks with esbuild (no ts runtime needed) and
// runs the bridge benchmark, forwarding its arguments. Output: JSON on stdout.
// The bridge under test is the built CLI, which bundleAndRun rebuilds first.
import { bundleAndRun } from '../scripts/bundle-ts.mjs';

await bundleAndRun(
  {
    'bridge-bench': 'bench/bridge-bench.ts',
    'upstream-server': 'bench/upstream-server.ts',
  },
  'out/bench',
  'bridge-bench',
);
