import module from 'node:module';
import v8 from 'node:v8';
import { redactSecrets } from '../shared/redact.js';
import { bridgeV8Flags, fastBridgeArgs } from './bridge-main.js';

// The CLI bundle's entry, built twice (scripts/build-cli.mjs): as switchboard.cjs, the bridge
// inlined and everything else handed to switchboard.mjs, because one CommonJS file starts a
// bridge ~15 ms sooner and keeps it ~0.3 MB smaller than the ESM loader's module graph; and as
// switchboard.mjs, the full CLI. MCP clients spawn `switchboard bridge --project X` for every
// session, so that path skips commander and every other command's modules.
async function main(): Promise<void> {
  // Where the runtime has it (Node ≥ 22.1, Electron's Node), cache compiled code across spawns.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const ref = fastBridgeArgs(process.argv.slice(2));
  if (ref === undefined) {
    await import('../cli/entry.js');
    return;
  }
  v8.setFlagsFromString(bridgeV8Flags(process.env.SWITCHBOARD_BRIDGE_JIT));
  const { runBridgeProcess } = await import('./bridge-main.js');
  process.exitCode = await runBridgeProcess(ref);
}

main().catch((error: unknown) => {
  // Redacted like every other diagnostic: a failure to load can quote its surroundings.
  const message = redactSecrets(String((error as Error)?.message ?? error));
  process.stderr.write(`switchboard: failed to start: ${message}\n`);
  process.exitCode = 1;
});
