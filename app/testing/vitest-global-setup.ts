import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/** CLI tests spawn bin/switchboard, which runs the bundle: build it once per test run (~100 ms). */
export default function setup(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-cli.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}
