import type { ClientDef } from '../types.js';
import { commandArgsEnv, readCommandArgsEnv } from './common.js';

/**
 * Amp (CLI and editor extension): `~/.config/amp/settings.json`, one flat key
 * `"amp.mcpServers"` (a dotted name, not a path), `{ command, args, env }` (Amp manual, "MCP").
 */
export const amp: ClientDef = {
  id: 'amp',
  displayName: 'Amp',
  format: 'jsonc',
  serversKey: ['amp.mcpServers'],
  scopes: ['user'],
  entry: commandArgsEnv,
  readStdio: readCommandArgsEnv,
  restartNote: 'Start a new Amp thread to pick up the change.',
};
