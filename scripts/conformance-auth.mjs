// Bundles scripts/conformance-auth.ts and the OAuth conformance client (esbuild; no TypeScript
// runtime needed), makes sure the CLI bundle is fresh, then runs it. See scripts/conformance-auth.ts.
import { bundleAndRun } from './bundle-ts.mjs';

await bundleAndRun(
  {
    'conformance-auth': 'scripts/conformance-auth.ts',
    'conformance-oauth-client': 'app/testing/conformance-oauth-client.ts',
  },
  'out/conformance',
  'conformance-auth',
);
