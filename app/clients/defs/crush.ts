import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Crush (Charm): `~/.config/crush/crush.json` (Windows `%LOCALAPPDATA%\\crush`) or a project's
 * `.crush.json` / `crush.json`, key `mcp`, `{ type: "stdio", command, args, env }` (Crush README,
 * "MCPs").
 */
export const crush: ClientDef = {
  id: 'crush',
  displayName: 'Crush',
  format: 'jsonc',
  serversKey: ['mcp'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ type: 'stdio', ...commandArgsEnv(launch) }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Crush session to pick up the change.',
};
