// `npm run bench:oauth`: bundles bench/oauth-bench.ts (esbuild), rebuilds the CLI the bridges run
// from, and runs it. Output: one JSON document on stdout.
import { bundleAndRun } from '../scripts/bundle-ts.mjs';

await bundleAndRun({ 'oauth-bench': 'bench/oauth-bench.ts' }, 'out/bench', 'oauth-bench');
