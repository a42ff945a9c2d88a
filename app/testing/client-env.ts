import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * The environments real MCP clients give a stdio server they spawn. A test that hands the bridge
 * the whole `process.env` hides every bug of the "works in my shell, not in the client" kind
 * (issue 17: no DBUS_SESSION_BUS_ADDRESS → no keychain), so the spawn helpers default to these.
 */
export type ClientEnvKind =
  /** The SDK's `getDefaultEnvironment()` set (Claude Desktop and every client built on the SDK). */
  | 'sdk-default'
  /** Codex CLI: HOME, LANG, PATH, SHELL, TERM, the CA-bundle variables, then `env_vars`. */
  | 'codex'
  /** Everything (only for tests about the bridge itself, not about how clients launch it). */
  | 'inherit';

const CODEX_INHERITED = ['HOME', 'LANG', 'PATH', 'SHELL', 'TERM', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];

function pick(from: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = from[name];
    // The SDK skips function-looking values (bash exported functions); so do we.
    if (value !== undefined && !value.startsWith('()')) out[name] = value;
  }
  return out;
}

/**
 * What a client spawns the bridge with: its inherited set taken from `machine` (the test's
 * temp-HOME environment standing in for the user's desktop session), plus the entry's own `env`
 * — in tests every `SWITCHBOARD_*` switch, as Switchboard writes them into the entry — plus, for
 * Codex, the variables the entry names in `env_vars`.
 */
export function clientSpawnEnv(
  machine: NodeJS.ProcessEnv,
  kind: ClientEnvKind = 'sdk-default',
  opts: { entryEnv?: Record<string, string>; envVars?: readonly string[] } = {},
): Record<string, string> {
  if (kind === 'inherit') return { ...pick(machine, Object.keys(machine)), ...opts.entryEnv };
  const inherited = kind === 'codex' ? CODEX_INHERITED : DEFAULT_INHERITED_ENV_VARS;
  const entryEnv = {
    ...pick(
      machine,
      Object.keys(machine).filter((k) => k.startsWith('SWITCHBOARD_')),
    ),
    ...opts.entryEnv,
  };
  const passed = kind === 'codex' ? pick(machine, opts.envVars ?? []) : {};
  return { ...pick(machine, inherited), ...passed, ...entryEnv };
}

/** The user's session as a client inherits it: without Switchboard's switches (the entry has them). */
export function withoutSwitchboardVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SWITCHBOARD_')));
}

/**
 * The same for a test that knows only the HOME and the entry's `env`: the SDK's inherited set
 * from this process, HOME replaced, plus the entry's env.
 */
export function clientEnvFor(
  home: string,
  entryEnv: Record<string, string>,
): Record<string, string> {
  return { ...pick(process.env, DEFAULT_INHERITED_ENV_VARS), HOME: home, ...entryEnv };
}
