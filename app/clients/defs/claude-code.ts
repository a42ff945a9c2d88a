import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Claude Code: `~/.claude.json` (user) or a repo's `.mcp.json` (project), `type: "stdio"`. */
export const claudeCode: ClientDef = {
  id: 'claude-code',
  displayName: 'Claude Code',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ type: 'stdio', ...commandArgsEnv(launch) }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Claude Code session (or run /mcp) to pick up the change.',
};
