import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * GitHub Copilot CLI: `~/.copilot/mcp-config.json` (user) or a repository's `.mcp.json`, key
 * `mcpServers`, `{ type: "local", command, args, env, tools }` (GitHub docs, "Adding MCP servers
 * for GitHub Copilot CLI"). `tools: ["*"]` exposes every tool, as `/mcp add` does with `*`.
 */
export const copilotCli: ClientDef = {
  id: 'copilot-cli',
  displayName: 'GitHub Copilot CLI',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ type: 'local', ...commandArgsEnv(launch), tools: ['*'] }),
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Copilot CLI session (or run /mcp show) to pick up the change.',
};
