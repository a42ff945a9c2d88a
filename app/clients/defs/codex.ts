import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Codex CLI: TOML `[mcp_servers.<name>]` in `$CODEX_HOME/config.toml` (default ~/.codex). */
export const codex: ClientDef = {
  id: 'codex',
  displayName: 'Codex CLI',
  format: 'toml',
  serversKey: ['mcp_servers'],
  scopes: ['user', 'project'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Codex session to pick up the change.',
};
