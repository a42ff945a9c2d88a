import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv, RESTART_GENERIC } from './common.js';

/** Cursor: `~/.cursor/mcp.json` or a project's `.cursor/mcp.json`, key `mcpServers`. */
export const cursor: ClientDef = {
  id: 'cursor',
  displayName: 'Cursor',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: RESTART_GENERIC,
};
