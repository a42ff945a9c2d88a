import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Kilo Code (VS Code extension): globalStorage `kilocode.kilo-code/settings/mcp_settings.json`
 * or a project's `.kilocode/mcp.json`, key `mcpServers`, `{ command, args, env, disabled }`
 * (Kilo Code docs, "Using MCP in Kilo Code").
 */
export const kiloCode: ClientDef = {
  id: 'kilo-code',
  displayName: 'Kilo Code',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ ...commandArgsEnv(launch), disabled: false }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Kilo Code watches its MCP settings; open its MCP Servers view to confirm.',
};
