import type { ClientDef, StdioLaunch } from '../types.js';
import { isRecord } from './common.js';

/** OpenCode: `opencode.json[c]`, key `mcp`, `{ type: "local", command: [...], environment }`. */
export const opencode: ClientDef = {
  id: 'opencode',
  displayName: 'OpenCode',
  format: 'jsonc',
  serversKey: ['mcp'],
  scopes: ['user', 'project'],
  entry: (launch) => {
    const entry: Record<string, unknown> = {
      type: 'local',
      command: [launch.command, ...launch.args],
      enabled: true,
    };
    if (Object.keys(launch.env).length > 0) entry.environment = launch.env;
    return entry;
  },
  readStdio: (entry): StdioLaunch | undefined => {
    if (!isRecord(entry) || !Array.isArray(entry.command)) return undefined;
    const [command, ...args] = entry.command.filter((a): a is string => typeof a === 'string');
    if (!command) return undefined;
    const env = isRecord(entry.environment)
      ? Object.fromEntries(
          Object.entries(entry.environment).filter(
            (kv): kv is [string, string] => typeof kv[1] === 'string',
          ),
        )
      : {};
    return { command, args, env };
  },
  restartNote: 'Start a new OpenCode session to pick up the change.',
};
