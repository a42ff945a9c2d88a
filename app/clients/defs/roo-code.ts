import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Roo Code (VS Code extension): globalStorage `rooveterinaryinc.roo-cline/settings/
 * mcp_settings.json` or a project's `.roo/mcp.json`, key `mcpServers`,
 * `{ command, args, env, disabled }` (Roo Code docs, "Using MCP in Roo Code").
 */
export const rooCode: ClientDef = {
  id: 'roo-code',
  displayName: 'Roo Code',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ ...commandArgsEnv(launch), disabled: false }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Roo Code watches its MCP settings; open its MCP Servers view to confirm.',
};
