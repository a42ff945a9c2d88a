import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { clientSpawnEnv, type ClientEnvKind } from './client-env.js';
import { CLI_PATH, REPO_ROOT } from './run-cli.js';

type Json = Record<string, unknown>;

/**
 * The built bridge (`switchboard bridge --project …`) as a real child process, spoken to with
 * raw JSON lines so tests see exactly what a client would: every line, in order.
 */
export interface BridgeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line parsed as JSON (a non-JSON line fails the test via `badStdout`). */
  messages: Json[];
  badStdout: string[];
  stderr: () => string;
  send(message: Json | string): void;
  /** Resolves with the first message (already seen or future) matching, or rejects after timeoutMs. */
  waitFor(pred: (m: Json) => boolean, timeoutMs?: number, what?: string): Promise<Json>;
  /** Answers to request `id` seen so far. */
  answers(id: string | number): Json[];
  /** initialize + initialized; resolves with the initialize result. */
  handshake(capabilities?: Json): Promise<Json>;
  request(id: string | number, method: string, params?: Json, timeoutMs?: number): Promise<Json>;
  closeStdin(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
  kill(): void;
}

export interface SpawnBridgeOptions {
  /** What the client passes on (default the SDK's `getDefaultEnvironment()` set + the entry's env). */
  clientEnv?: ClientEnvKind;
  envVars?: readonly string[];
  /** Starts the bridge under `prlimit --nofile=<n>` (util-linux), as a tight `ulimit -n` would. */
  maxOpenFiles?: number;
  /** Node options before the CLI (a test's `-r` probe); clients pass none. */
  nodeArgs?: readonly string[];
}

/**
 * `env` is the machine's environment (a temp-HOME one); the bridge gets what a client would pass
 * from it (`clientEnv`).
 */
export function spawnBridge(
  project: string,
  env: NodeJS.ProcessEnv,
  opts: SpawnBridgeOptions = {},
): BridgeProcess {
  const argv = [
    process.execPath,
    ...(opts.nodeArgs ?? []),
    CLI_PATH,
    'bridge',
    '--project',
    project,
  ];
  // prlimit execs the command, so the child's pid is the bridge's.
  const [command, ...args] =
    opts.maxOpenFiles === undefined ? argv : ['prlimit', `--nofile=${opts.maxOpenFiles}`, ...argv];
  const child = spawn(command!, args, {
    env: clientSpawnEnv(env, opts.clientEnv, { envVars: opts.envVars }),
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Json[] = [];
  const badStdout: string[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let buf = '';
  let closedAt = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    let nl = buf.indexOf('\n');
    while (nl !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        messages.push(JSON.parse(line) as Json);
      } catch {
        badStdout.push(line);
      }
      nl = buf.indexOf('\n');
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    afterMs: number;
  }>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({ code, signal, afterMs: closedAt ? Date.now() - closedAt : -1 }),
    ),
  );

  const waitFor = (pred: (m: Json) => boolean, timeoutMs = 10_000, what = 'a message') =>
    new Promise<Json>((resolve, reject) => {
      const check = () => {
        const found = messages.find(pred);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; stderr:\n${err}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const send = (m: Json | string) => {
    child.stdin.write((typeof m === 'string' ? m : JSON.stringify(m)) + '\n');
  };
  const request = (id: string | number, method: string, params?: Json, timeoutMs?: number) => {
    send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    return waitFor(
      (m) => m.id === id && ('result' in m || 'error' in m),
      timeoutMs,
      `the answer to ${method} #${id}`,
    );
  };

  return {
    child,
    messages,
    badStdout,
    stderr: () => err,
    send,
    waitFor,
    answers: (id) => messages.filter((m) => m.id === id && ('result' in m || 'error' in m)),
    async handshake(capabilities = {}) {
      const r = await request('init', 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities,
        clientInfo: { name: 'bridge-test', version: '1.2.3' },
      });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      return r;
    },
    request,
    closeStdin() {
      closedAt = Date.now();
      child.stdin.end();
    },
    exited,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
