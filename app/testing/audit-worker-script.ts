import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './run-cli.js';

let built: Promise<string> | undefined;

/**
 * The audit worker as tests and the e2e host run it: app/audit/audit-worker.ts bundled into one
 * self-contained ESM file (the app ships the same entry in out/main, built by electron-vite).
 * One file per process, so parallel test workers never race on it.
 */
export function auditWorkerScript(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-audit-worker-'));
    const outfile = path.join(dir, 'audit-worker.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'app', 'audit', 'audit-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return outfile;
  })();
  return built;
}
