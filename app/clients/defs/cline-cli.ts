import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Cline CLI (npm `cline`): `~/.cline/data/settings/cline_mcp_settings.json`, key `mcpServers`,
 * the extension's `{ command, args, env, disabled }` shape (Cline docs, "MCP configuration");
 * the CLI does not read the VS Code extension's globalStorage file.
 */
export const clineCli: ClientDef = {
  id: 'cline-cli',
  displayName: 'Cline CLI',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user'],
  entry: (launch) => ({ ...commandArgsEnv(launch), disabled: false }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Cline CLI session to pick up the change.',
};
