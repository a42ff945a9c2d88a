import type { StdioLaunch } from '../types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
  );
}

/** `{ command, args, env }`, the shape most clients share; env only when non-empty. */
export function commandArgsEnv(launch: StdioLaunch): Record<string, unknown> {
  const entry: Record<string, unknown> = { command: launch.command, args: launch.args };
  if (Object.keys(launch.env).length > 0) entry.env = launch.env;
  return entry;
}

export function readCommandArgsEnv(entry: unknown): StdioLaunch | undefined {
  if (!isRecord(entry) || typeof entry.command !== 'string') return undefined;
  const args = Array.isArray(entry.args) ? entry.args.filter((a) => typeof a === 'string') : [];
  return { command: entry.command, args, env: stringRecord(entry.env) };
}

export const RESTART_GENERIC =
  'Restart the client (or reload its MCP servers) to pick up the change.';
