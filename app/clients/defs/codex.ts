import { KEYCHAIN_ENV_VARS } from '../../vault/session-bus.js';
import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Codex CLI: TOML `[mcp_servers.<name>]` in `$CODEX_HOME/config.toml` (default ~/.codex), with
 * `command`, `args`, `env` and `env_vars` (Codex docs, "config.md" → MCP servers). Codex gives a
 * server only a fixed set of variables plus `env`; `env_vars` names the ones to pass through —
 * on Linux the session-bus variables the keychain needs (names only, never their values).
 */
export const codex: ClientDef = {
  id: 'codex',
  displayName: 'Codex CLI',
  format: 'toml',
  serversKey: ['mcp_servers'],
  scopes: ['user', 'project'],
  entry: (launch, ctx) => {
    const entry = commandArgsEnv(launch);
    const names = KEYCHAIN_ENV_VARS[ctx.platform] ?? [];
    if (names.length > 0) entry.env_vars = [...names];
    return entry;
  },
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Codex session to pick up the change.',
};
