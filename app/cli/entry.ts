import { runCli } from './main.js';

// The bundled CLI's entry (out/cli/switchboard.mjs, loaded by bin/switchboard).
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
