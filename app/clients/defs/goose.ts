import type { ClientDef, StdioLaunch } from '../types.js';
import { isRecord, readCommandArgsEnv } from './common.js';

/**
 * Goose: YAML `~/.config/goose/config.yaml` (Windows `%APPDATA%\\Block\\goose\\config`), key
 * `extensions`, a stdio extension is `{ name, type: stdio, cmd, args, envs, enabled, timeout }`
 * (Goose docs, "Configuration Files" → extensions).
 */
export const goose: ClientDef = {
  id: 'goose',
  displayName: 'Goose',
  format: 'yaml',
  serversKey: ['extensions'],
  scopes: ['user'],
  entry: (launch, ctx) => {
    const entry: Record<string, unknown> = {
      name: ctx.name,
      type: 'stdio',
      cmd: launch.command,
      args: launch.args,
      enabled: true,
      timeout: 300,
    };
    if (Object.keys(launch.env).length > 0) entry.envs = launch.env;
    return entry;
  },
  readStdio: (entry): StdioLaunch | undefined => {
    if (!isRecord(entry)) return undefined;
    return readCommandArgsEnv({ command: entry.cmd, args: entry.args, env: entry.envs });
  },
  restartNote: 'Start a new Goose session (or restart Goose Desktop) to pick up the change.',
};
