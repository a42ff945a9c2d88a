import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Launch at login on Linux: an XDG autostart entry (freedesktop "Desktop Application Autostart
 * Specification"), `$XDG_CONFIG_HOME/autostart/<id>.desktop`. macOS and Windows use Electron's
 * setLoginItemSettings instead (main/platform/login-item.ts).
 */

export const AUTOSTART_FILE = 'switchboard.desktop';
/** Marks the entry as ours, so we never edit or delete a file someone else wrote. */
const MARKER = 'X-Switchboard-Autostart=true';

export interface AutostartOptions {
  /** The executable to launch (the AppImage path when running from one). */
  exec: string;
  args?: string[];
  name?: string;
  env?: NodeJS.ProcessEnv;
}

export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME?.trim()
    ? env.XDG_CONFIG_HOME
    : path.join(env.HOME ?? os.homedir(), '.config');
  return path.join(config, 'autostart');
}

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(autostartDir(env), AUTOSTART_FILE);
}

/**
 * Quotes one Exec argument per the Desktop Entry spec: arguments with reserved characters go in
 * double quotes with `"`, `` ` ``, `$` and `\` backslash-escaped; a literal `%` is written `%%`.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) {
    throw new Error('A launch-at-login argument cannot contain a line break or NUL.');
  }
  const escaped = arg.replace(/%/g, '%%');
  if (escaped !== '' && !/[\s"'\\`$<>~|&;*?#()]/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(opts: AutostartOptions): string {
  const exec = [opts.exec, ...(opts.args ?? [])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${opts.name ?? 'Switchboard'}`,
    'Comment=Manages your connections to remote MCP servers',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    MARKER,
    '',
  ].join('\n');
}

export async function isAutostartEnabled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    const text = await fs.readFile(autostartPath(env), 'utf8');
    return text.includes(MARKER) && !/^Hidden=true$/m.test(text);
  } catch {
    return false;
  }
}

/** Writes (atomically, 0644) or removes our autostart entry. Refuses to touch a foreign file. */
export async function setAutostart(enabled: boolean, opts: AutostartOptions): Promise<void> {
  const env = opts.env ?? process.env;
  const file = autostartPath(env);
  let existing: string | undefined;
  try {
    existing = await fs.readFile(file, 'utf8');
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && !existing.includes(MARKER)) {
    throw new Error(
      `${file} exists and was not written by Switchboard; remove it yourself to let Switchboard manage launch at login.`,
    );
  }
  if (!enabled) {
    if (existing !== undefined) await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, autostartEntry(opts), { mode: 0o644 });
}
