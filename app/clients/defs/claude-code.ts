import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Claude Code (docs, "Connect Claude Code to tools via MCP" → scopes): `~/.claude.json`
 * `mcpServers` (user), a repo's `.mcp.json` (project, shared through git) or `~/.claude.json`
 * `projects["<abs dir>"].mcpServers` (local: this project, this user only); `type: "stdio"`.
 */
export const claudeCode: ClientDef = {
  id: 'claude-code',
  displayName: 'Claude Code',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project', 'local'],
  scopedServersKey: (scope, dir) =>
    scope === 'local' ? ['projects', dir, 'mcpServers'] : undefined,
  entry: (launch) => ({ type: 'stdio', ...commandArgsEnv(launch) }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Claude Code session (or run /mcp) to pick up the change.',
  needs: (scope) =>
    scope === 'project'
      ? 'Claude Code asks before it uses servers from a project’s .mcp.json: approve this one when it asks (or in /mcp).'
      : undefined,
};
