import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Cline (VS Code extension): globalStorage `cline_mcp_settings.json`, key `mcpServers`. */
export const cline: ClientDef = {
  id: 'cline',
  displayName: 'Cline',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user'],
  entry: (launch) => ({ ...commandArgsEnv(launch), disabled: false }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Cline watches its settings file; open its MCP Servers view to confirm.',
};
