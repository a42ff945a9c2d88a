import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Kiro: `~/.kiro/settings/mcp.json` or a workspace's `.kiro/settings/mcp.json`, key
 * `mcpServers`, `{ command, args, env, disabled }` (Kiro docs, "MCP configuration").
 */
export const kiro: ClientDef = {
  id: 'kiro',
  displayName: 'Kiro',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ ...commandArgsEnv(launch), disabled: false }),
  readStdio: readCommandArgsEnv,
  restartNote:
    'Kiro reconnects when mcp.json is saved; check the MCP Servers tab of the Kiro panel.',
};
