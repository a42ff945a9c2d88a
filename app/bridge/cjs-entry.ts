import module from 'node:module';
import path from 'node:path';
import type * as V8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { checkDataDir } from '../paths/data-dir-guard.js';
import { dataDir } from '../paths/data-dir.js';
import { redactSecrets } from '../shared/redact.js';
import { bridgeV8Flags, fastBridgeArgs } from './bridge-args.js';
import type * as BridgeMain from './bridge-main.js';
import { requireWithCodeCache } from './code-cache.js';
import { processIdleTrimProbe, startIdleTrim } from './idle-trim.js';
import { lazyBuiltin } from '../platform/lazy-builtin.js';

// node:v8 (and what it loads) is ~2 ms of start-up, and needed only after the first answer.
const v8 = lazyBuiltin<typeof V8>('node:v8');

// The entry of switchboard.cjs, what bin/switchboard and every MCP client run (built by
// scripts/build-cli.mjs). `bridge --project X` loads only the bridge (bridge.cjs, one CommonJS
// file, compiled with V8's code cache); every other command loads the full CLI
// (switchboard.mjs). The build writes the bridge bundle's content hash in here.
declare const __SB_BRIDGE_BUILD__: string | undefined;

async function main(): Promise<void> {
  const ref = fastBridgeArgs(process.argv.slice(2));
  if (ref === undefined) {
    // Where the runtime has it (Node ≥ 22.1, Electron's Node), cache compiled code across runs.
    (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    await import('../cli/entry.js');
    return;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const home = dataDir();
  const cacheDir = trustedCacheDir(home);
  const bridge = requireWithCodeCache(path.join(here, 'bridge.cjs'), {
    dir: cacheDir,
    buildId: typeof __SB_BRIDGE_BUILD__ === 'string' ? __SB_BRIDGE_BUILD__ : 'dev',
  });
  const { runBridgeProcess } = bridge.exports as typeof BridgeMain;
  const debug = process.env.SWITCHBOARD_BRIDGE_DEBUG === '1';
  if (debug) process.stderr.write(`switchboard bridge: code cache: ${bridge.cache}\n`);
  // The bridge's V8 settings (bridgeV8Flags) wait for its first answer. Any flag change makes V8
  // refuse the code caches compiled under the old flags: Node's embedded one for its own modules
  // (each built-in loaded afterwards compiles from source, about twice as slow: node:http 2.5 →
  // 4.7 ms) and the bridge's own. By then the bridge has loaded what it needs and its code
  // cache holds every function start-up ran; the settings only matter for a long session.
  const afterFirstAnswer = () => {
    bridge.saveCache();
    v8().setFlagsFromString(bridgeV8Flags(process.env.SWITCHBOARD_BRIDGE_JIT));
    const probe = processIdleTrimProbe();
    if (probe) startIdleTrim(probe, debug ? { onTrim: logTrim, onStop: logTrimStop } : {});
    else if (debug) process.stderr.write('switchboard bridge: idle trim: unavailable\n');
  };
  // A data dir the guard accepted here is not checked again; a refused one the bridge reports.
  process.exitCode = await runBridgeProcess(ref, home, {
    afterFirstAnswer,
    dataDirChecked: cacheDir !== undefined,
  });
}

/**
 * The code cache runs as the bridge's own code, so it is read only from a data dir the start-up
 * guard accepts (ours, not writable by others, files in `cache/` included). A refused data dir
 * gets no cache here; the bridge then refuses it with the guard's message.
 */
function logTrim(before: number, after: number): void {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  process.stderr.write(`switchboard bridge: idle trim: heap ${mb(before)} → ${mb(after)} MB\n`);
}

function logTrimStop(error: unknown): void {
  process.stderr.write(`switchboard bridge: idle trim: stopped (${String(error)})\n`);
}

function trustedCacheDir(dir: string): string | undefined {
  try {
    checkDataDir(dir);
    return path.join(dir, 'cache');
  } catch {
    return undefined;
  }
}

main().catch((error: unknown) => {
  // Redacted like every other diagnostic: a failure to load can quote its surroundings.
  const message = redactSecrets(String((error as Error)?.message ?? error));
  process.stderr.write(`switchboard: failed to start: ${message}\n`);
  process.exitCode = 1;
});
