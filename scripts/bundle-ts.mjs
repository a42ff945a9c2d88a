// Shared by `npm run bench` and `npm run conformance`: bundles TypeScript entry points with
// esbuild (no TypeScript runtime needed), makes sure the CLI bundle the bridge runs from is
// fresh, then runs one bundle with this process's arguments and exits with its status.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

/**
 * @param {Record<string, string>} entryPoints bundle name → TypeScript entry file
 * @param {string} outdir where the `<name>.mjs` bundles go
 * @param {string} main the bundle name to run
 */
export async function bundleAndRun(entryPoints, outdir, main) {
  await build({
    entryPoints,
    outdir,
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
  const r = spawnSync(process.execPath, [`${outdir}/${main}.mjs`, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}
