import type { Command } from 'commander';
import type { CliContext } from '../main.js';

/**
 * `switchboard bridge --project <name|id>`: the stdio MCP server that clients spawn. The usual
 * invocation never reaches commander (see app/bridge/fast-entry.ts); this is the same command
 * for every other spelling, and for `--help`.
 */
export function registerBridgeCommands(program: Command, ctx: CliContext): void {
  program
    .command('bridge')
    .description('run the stdio ⇄ Streamable HTTP bridge for a project (what MCP clients spawn)')
    .requiredOption('--project <name|id>', 'the project to bridge')
    .action(async (opts: { project: string }) => {
      const { runBridgeProcess } = await import('../../bridge/bridge-main.js');
      ctx.exitCode = await runBridgeProcess(opts.project, ctx.services().dataDir);
    });
}
