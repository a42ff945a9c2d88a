// Runs the audit benchmarks (bench/audit-*.ts): each is bundled with esbuild and run in its own
// Node process (with --expose-gc for memory figures). Prints one JSON document per benchmark.
// Usage: node bench/audit-run.mjs [ingest|query|live ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = ['ingest', 'query', 'live', 'worker', 'sessions'];
const picked = process.argv.slice(2).length ? process.argv.slice(2) : all;
// Inside the repo so the bundles' external packages resolve from node_modules.
const out = path.join(path.dirname(here), 'out', 'bench-audit');
fs.mkdirSync(out, { recursive: true });
let failed = false;
try {
  for (const name of picked) {
    if (!all.includes(name))
      throw new Error(`unknown benchmark ${name}; pick from ${all.join(', ')}`);
    const file = path.join(out, `audit-${name}.mjs`);
    await build({
      entryPoints: [path.join(here, `audit-${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: file,
      packages: 'external',
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', file], {
      stdio: 'inherit',
      cwd: path.dirname(here),
      env: { ...process.env, SB_BENCH_BUILD_DIR: out },
      timeout: 20 * 60_000,
    });
    if (r.status !== 0) failed = true;
  }
} catch (error) {
  console.error(error);
  failed = true;
}
process.exitCode = failed ? 1 : 0;
