import { runCli } from './main.js';

// The full CLI (out/cli/switchboard.mjs; bin/switchboard runs switchboard.cjs, which loads it for
// every command but the bridge).
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
