import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Windsurf: `~/.codeium/windsurf/mcp_config.json`, key `mcpServers`. */
export const windsurf: ClientDef = {
  id: 'windsurf',
  displayName: 'Windsurf',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: 'Press Refresh in Windsurf’s MCP settings (or restart Windsurf).',
};
