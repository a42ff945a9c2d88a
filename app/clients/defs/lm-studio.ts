import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** LM Studio: `~/.lmstudio/mcp.json`, key `mcpServers` (Cursor's notation). */
export const lmStudio: ClientDef = {
  id: 'lm-studio',
  displayName: 'LM Studio',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote:
    'LM Studio reloads mcp.json when saved; re-enable the server in the chat’s Program tab if needed.',
};
