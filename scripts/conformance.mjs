// Bundles scripts/conformance.ts (esbuild; no TypeScript runtime needed), makes sure the CLI
// bundle the bridge runs from is fresh, then runs it. See scripts/conformance.ts.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

await build({
  entryPoints: {
    conformance: 'scripts/conformance.ts',
    'conformance-client': 'scripts/conformance-client.ts',
  },
  outdir: 'out/conformance',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  packages: 'external',
  logLevel: 'warning',
});
spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
const r = spawnSync(
  process.execPath,
  ['out/conformance/conformance.mjs', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
