import module from 'node:module';
import v8 from 'node:v8';
import { fastBridgeArgs } from './bridge-main.js';

// The CLI bundle's entry. MCP clients spawn `switchboard bridge --project X` for every session,
// so that path skips commander and every other command's modules; all else is the full CLI.
// Where the runtime has it (Node ≥ 22.1, Electron's Node), cache compiled code across spawns.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const ref = fastBridgeArgs(process.argv.slice(2));
if (ref !== undefined) {
  // A bridge is long-lived, mostly idle glue around node:http: TurboFan's optimised code and
  // compile work cost it ~7 MB of memory and more CPU than they save (bench/: RSS 58 → 51 MB
  // and CPU per call lower after 1000 calls). SWITCHBOARD_BRIDGE_JIT=full keeps it.
  if (process.env.SWITCHBOARD_BRIDGE_JIT !== 'full') v8.setFlagsFromString('--no-opt');
  const { runBridgeProcess } = await import('./bridge-main.js');
  process.exitCode = await runBridgeProcess(ref);
} else {
  await import('../cli/entry.js');
}
