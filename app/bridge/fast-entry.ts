import module from 'node:module';
import v8 from 'node:v8';
import { fastBridgeArgs } from './bridge-main.js';

// The CLI bundle's entry. MCP clients spawn `switchboard bridge --project X` for every session,
// so that path skips commander and every other command's modules; all else is the full CLI.
// Where the runtime has it (Node ≥ 22.1, Electron's Node), cache compiled code across spawns.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const ref = fastBridgeArgs(process.argv.slice(2));
if (ref !== undefined) {
  // Opt-in for memory-tight machines: without V8's optimising compiler a bridge stays ~6 MB
  // smaller, at ~10% more latency per call (bench/, see the README's Bridge section).
  if (process.env.SWITCHBOARD_BRIDGE_JIT === 'off') v8.setFlagsFromString('--no-opt');
  const { runBridgeProcess } = await import('./bridge-main.js');
  process.exitCode = await runBridgeProcess(ref);
} else {
  await import('../cli/entry.js');
}
