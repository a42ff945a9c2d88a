import { checkDataDir } from '../paths/data-dir-guard.js';
import { dataDir as defaultDataDir } from '../paths/data-dir.js';
import { ProjectsReader } from '../projects/projects-file.js';
import { redactSecrets } from '../shared/redact.js';
import { toEnvelope } from '../shared/errors.js';
import { adoptSessionBus } from '../vault/session-bus.js';

/**
 * The bridge as a process: stdout belongs to the MCP transport alone, so console output is sent
 * to stderr; after shutdown the process exits even if sockets linger. Resolves with the code.
 */
export interface BridgeProcessOptions {
  /** Start-up work that can wait until the first answer is out (the loader's V8 settings). */
  afterFirstAnswer?: () => void;
  /** The loader already ran the data-dir guard on `dataDir` (it reads the code cache there). */
  dataDirChecked?: boolean;
}

export async function runBridgeProcess(
  projectRef: string,
  dataDir = defaultDataDir(),
  { afterFirstAnswer, dataDirChecked = false }: BridgeProcessOptions = {},
): Promise<number> {
  for (const level of ['log', 'info', 'debug', 'warn'] as const) {
    console[level] = (...args: unknown[]) => console.error(...args);
  }
  // A bug in one message's path must not take down the client's session: log and carry on.
  const lastResort = (error: unknown) =>
    process.stderr.write(`switchboard bridge: unexpected error: ${redactSecrets(String(error))}\n`);
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
  // A client that strips the environment leaves out the session bus the keychain needs.
  const bus = adoptSessionBus();
  if (process.env.SWITCHBOARD_BRIDGE_DEBUG === '1') {
    process.stderr.write(`switchboard bridge: session bus: ${bus.detail}\n`);
  }
  let code: number;
  try {
    if (!dataDirChecked) checkDataDir(dataDir);
    // Load the bridge's modules while projects.json is read.
    const [project, { runBridge }] = await Promise.all([
      new ProjectsReader(dataDir).get(projectRef),
      import('./run-bridge.js'),
    ]);
    code = await runBridge({ dataDir, project, ...(afterFirstAnswer ? { afterFirstAnswer } : {}) });
  } catch (error) {
    process.stderr.write(`switchboard: ${redactSecrets(toEnvelope(error).message)}\n`);
    code = 1;
  }
  // Keep-alive sockets and the stdin handle must not hold the process past shutdown.
  process.stdin.destroy();
  setTimeout(() => process.exit(code), 100).unref();
  return code;
}

export { bridgeV8Flags, fastBridgeArgs } from './bridge-args.js';
