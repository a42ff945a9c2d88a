// Bundles scripts/conformance.ts (esbuild; no TypeScript runtime needed), makes sure the CLI
// bundle the bridge runs from is fresh, then runs it. See scripts/conformance.ts.
import { bundleAndRun } from './bundle-ts.mjs';

await bundleAndRun(
  {
    conformance: 'scripts/conformance.ts',
    'conformance-client': 'scripts/conformance-client.ts',
    'conformance-auth': 'scripts/conformance-auth.ts',
    'conformance-oauth-client': 'app/testing/conformance-oauth-client.ts',
  },
  'out/conformance',
  'conformance',
);
