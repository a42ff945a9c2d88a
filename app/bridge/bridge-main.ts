import { checkDataDir } from '../paths/data-dir-guard.js';
import { dataDir as defaultDataDir } from '../paths/data-dir.js';
import { ProjectsReader } from '../projects/projects-file.js';
import { redactSecrets } from '../shared/redact.js';
import { toEnvelope } from '../shared/errors.js';

/**
 * The bridge as a process: stdout belongs to the MCP transport alone, so console output is sent
 * to stderr; after shutdown the process exits even if sockets linger. Resolves with the code.
 */
export async function runBridgeProcess(
  projectRef: string,
  dataDir = defaultDataDir(),
): Promise<number> {
  for (const level of ['log', 'info', 'debug', 'warn'] as const) {
    console[level] = (...args: unknown[]) => console.error(...args);
  }
  // A bug in one message's path must not take down the client's session: log and carry on.
  const lastResort = (error: unknown) =>
    process.stderr.write(`switchboard bridge: unexpected error: ${redactSecrets(String(error))}\n`);
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
  let code: number;
  try {
    checkDataDir(dataDir);
    // Load the bridge's modules while projects.json is read.
    const [project, { runBridge }] = await Promise.all([
      new ProjectsReader(dataDir).get(projectRef),
      import('./run-bridge.js'),
    ]);
    code = await runBridge({ dataDir, project });
  } catch (error) {
    process.stderr.write(`switchboard: ${redactSecrets(toEnvelope(error).message)}\n`);
    code = 1;
  }
  // Keep-alive sockets and the stdin handle must not hold the process past shutdown.
  process.stdin.destroy();
  setTimeout(() => process.exit(code), 100).unref();
  return code;
}

/** `bridge --project X` / `bridge --project=X` and nothing else; anything fancier → the full CLI. */
export function fastBridgeArgs(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'bridge') return undefined;
  if (argv.length === 3 && argv[1] === '--project' && argv[2] && !argv[2].startsWith('-')) {
    return argv[2];
  }
  if (argv.length === 2 && argv[1]?.startsWith('--project=') && argv[1].length > 10) {
    return argv[1].slice(10);
  }
  return undefined;
}

/**
 * V8 settings for a bridge process, applied before its modules load (bench/ and the README's
 * Bridge section have the numbers). The young generation keeps its initial size: a bridge's
 * garbage dies young, and growing it to V8's default 16 MB semi-spaces costs ~3.5 MB of RSS for
 * no measurable speed. By default Maglev without TurboFan: ~7 MB smaller at the same or lower
 * CPU per call, since the hot path is short and mostly JSON. SWITCHBOARD_BRIDGE_JIT=full
 * restores TurboFan; `off` keeps only the interpreter and baseline code (smallest, ~10% slower
 * per call).
 */
export function bridgeV8Flags(jit: string | undefined): string {
  const young = '--semi-space-growth-factor=1';
  if (jit === 'full') return young;
  if (jit === 'off') return `${young} --no-opt`;
  return `${young} --maglev --no-turbofan`;
}
