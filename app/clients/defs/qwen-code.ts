import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Qwen Code (a Gemini CLI fork): `~/.qwen/settings.json` or a project's `.qwen/settings.json`,
 * key `mcpServers`, `{ command, args, env }` (Qwen Code docs, "MCP servers").
 */
export const qwenCode: ClientDef = {
  id: 'qwen-code',
  displayName: 'Qwen Code',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Qwen Code session (or run /mcp) to pick up the change.',
};
