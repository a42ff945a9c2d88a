import { Command, CommanderError } from 'commander';
import { checkDataDir } from '../paths/data-dir-guard.js';
import { dataDir as defaultDataDir } from '../paths/data-dir.js';
import { createServices, type Services } from '../services.js';
import { APP_VERSION } from '../version.js';
import { exitCodeFor, printError, processIo, type Io } from './output.js';
import { registerProjectCommands } from './commands/projects.js';
import { registerClientCommands } from './commands/clients.js';
import { registerTestCommand } from './commands/test.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerSettingsCommands } from './commands/settings.js';
import { registerBridgeCommands } from './commands/bridge.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerOAuthCommands } from './commands/oauth.js';
import { registerProvisionCommand } from './commands/provision.js';
import { registerConsentCommands } from './commands/consent.js';

export interface CliContext {
  io: Io;
  /** Created on first use so `--help` never touches the data dir. */
  services: () => Services;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Set by commands that define their own exit code (e.g. `test`). */
  exitCode?: number;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('switchboard')
    .description(
      'Manage connections to remote MCP servers: projects, keychain tokens, the stdio bridge, client installs and audit.',
    )
    .version(APP_VERSION, '-v, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr })
    .exitOverride();
  registerProjectCommands(program, ctx);
  registerClientCommands(program, ctx);
  registerTokenCommands(program, ctx);
  registerTestCommand(program, ctx);
  registerSettingsCommands(program, ctx);
  registerBridgeCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerOAuthCommands(program, ctx);
  registerProvisionCommand(program, ctx);
  registerConsentCommands(program, ctx);
  return program;
}

/** Runs the CLI and resolves to the process exit code; never calls process.exit itself. */
export async function runCli(
  argv: string[],
  io: Io = processIo,
  stdin = process.stdin,
): Promise<number> {
  let services: Services | undefined;
  const ctx: CliContext = {
    io,
    stdin,
    // The data dir is checked before its first use (and never for --help).
    services: () => {
      if (!services) checkDataDir(defaultDataDir());
      return (services ??= createServices());
    },
  };
  const program = buildProgram(ctx);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    printError(io, error);
    return exitCodeFor(error);
  }
}
