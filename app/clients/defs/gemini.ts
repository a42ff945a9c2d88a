import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/** Gemini CLI: `~/.gemini/settings.json` or a project's `.gemini/settings.json`, `mcpServers`. */
export const gemini: ClientDef = {
  id: 'gemini',
  displayName: 'Gemini CLI',
  format: 'jsonc',
  serversKey: ['mcpServers'],
  scopes: ['user', 'project'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Gemini CLI session to pick up the change.',
  needs: () =>
    'Gemini CLI turns MCP servers off in folders you have not trusted: trust the folder when it asks (or run /permissions).',
};
