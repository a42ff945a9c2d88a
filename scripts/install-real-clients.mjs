#!/usr/bin/env node
// Installs the real MCP client CLIs that `npm run test:clients` drives, pinned, into a test-only
// folder under the npm cache (never the app's dependencies): <npm cache>/switchboard-real-clients/
// <package>@<version>/. An existing complete install is reused, so CI downloads them once per
// machine. Prints one line per client; exits 1 with what to do when an install fails.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REAL_CLIENTS = [
  { id: 'gemini', pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  { id: 'opencode', pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode' },
  { id: 'qwen-code', pkg: '@qwen-code/qwen-code', version: '0.24.4', bin: 'qwen' },
];

const INSTALL_TIMEOUT_MS = 5 * 60_000;

export function realClientsRoot() {
  const cache =
    process.env.npm_config_cache ||
    execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  return path.join(cache, 'switchboard-real-clients');
}

export function clientDir(c) {
  return path.join(realClientsRoot(), `${c.pkg.replace('/', '+')}@${c.version}`);
}

export function clientBin(c) {
  return path.join(clientDir(c), 'node_modules', '.bin', c.bin);
}

function install(c) {
  const dir = clientDir(c);
  const done = path.join(dir, '.switchboard-installed');
  if (fs.existsSync(done) && fs.existsSync(clientBin(c))) return 'cached';
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', `${c.pkg}@${c.version}`],
    { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_MS },
  );
  if (r.status !== 0 || !fs.existsSync(clientBin(c))) {
    throw new Error(
      `npm install ${c.pkg}@${c.version} into ${dir} failed (${r.error?.message ?? `exit ${r.status}`}); check that the npm registry is reachable and run again.`,
    );
  }
  fs.writeFileSync(done, new Date().toISOString() + '\n');
  return 'installed';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const c of REAL_CLIENTS)
      console.log(`real client ${c.pkg}@${c.version}: ${install(c)} (${clientBin(c)})`);
  } catch (error) {
    console.error(`install-real-clients: ${error.message}`);
    process.exit(1);
  }
}
