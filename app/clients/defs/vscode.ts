import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** VS Code: user `mcp.json` or `.vscode/mcp.json`, key `servers`, JSONC with comments. */
export const vscode: ClientDef = {
  id: 'vscode',
  displayName: 'VS Code',
  format: 'jsonc',
  serversKey: ['servers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ type: 'stdio', ...commandArgsEnv(launch) }),
  readStdio: readCommandArgsEnv,
  restartNote:
    'VS Code picks up mcp.json changes itself; start the server from the MCP view if it does not.',
};
