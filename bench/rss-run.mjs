// `npm run bench:rss`: bundles bench/bridge-rss.ts and runs it (see that file). JSON on stdout.
import { bundleAndRun } from '../scripts/bundle-ts.mjs';

await bundleAndRun({ 'bridge-rss': 'bench/bridge-rss.ts' }, 'out/bench', 'bridge-rss');
