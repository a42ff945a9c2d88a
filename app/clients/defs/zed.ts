import type { ClientDef } from '../types.js';
import { commandArgsEnv, isRecord, readCommandArgsEnv } from './common.js';

/**
 * Zed: `settings.json` (JSONC), key `context_servers`. We write the current flat shape
 * (`source: "custom"`, command/args/env); older configs nest `command: { path, args, env }`,
 * which we still read (for doctor and recognition).
 */
export const zed: ClientDef = {
  id: 'zed',
  displayName: 'Zed',
  format: 'jsonc',
  serversKey: ['context_servers'],
  scopes: ['user', 'project'],
  entry: (launch) => ({ source: 'custom', ...commandArgsEnv(launch) }),
  readStdio: (entry) => {
    if (isRecord(entry) && isRecord(entry.command)) {
      const { path, args, env } = entry.command;
      return readCommandArgsEnv({ command: path, args, env });
    }
    return readCommandArgsEnv(entry);
  },
  restartNote: 'Zed reloads settings.json itself; check the Agent panel’s server list.',
};
