import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Continue: YAML `~/.continue/config.yaml`, `mcpServers` is a *list* of
 * `{ name, command, args, env }` (Continue docs, "config.yaml Reference" → mcpServers); we read
 * and edit it by `name`. (Workspace blocks in `.continue/mcpServers/` are separate files.)
 */
export const continueDev: ClientDef = {
  id: 'continue',
  displayName: 'Continue',
  format: 'yaml',
  serversKey: ['mcpServers'],
  listKeyedBy: 'name',
  scopes: ['user'],
  entry: (launch) => ({ type: 'stdio', ...commandArgsEnv(launch) }),
  readStdio: readCommandArgsEnv,
  restartNote:
    'Continue reloads config.yaml when it is saved; check the MCP section of its settings.',
};
