import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Claude Desktop: `mcpServers`, stdio entries only (remote servers go through Connectors). */
export const claudeDesktop: ClientDef = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote:
    'Quit Claude Desktop from its tray/menu-bar icon (closing the window is not enough), then start it again.',
};
