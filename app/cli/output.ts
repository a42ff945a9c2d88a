import { SwitchboardError, toEnvelope } from '../shared/errors.js';
import { redactSecrets } from '../shared/redact.js';

export interface Io {
  /** Human output: control characters are neutralised (see `neutraliseControls`). */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Machine output (`--json`, exports) written exactly; defaults to `stdout`. */
  stdoutExact?: (text: string) => void;
}

// Everything but tab and newline in C0, DEL, and C1 (U+0080–U+009F: 8-bit CSI and friends).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Terminal escape sequences can come from anywhere a peer chose the text (a method name, a
 * target, an entry name, a path): shown raw they could rewrite the screen, hide lines or set
 * the window title. Human output shows them as visible `\xNN` escapes instead.
 */
export function neutraliseControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(neutraliseControls(t)),
  stderr: (t) => process.stderr.write(neutraliseControls(t)),
  stdoutExact: (t) => process.stdout.write(t),
};

/** One JSON document on stdout, nothing else (CLI.md). */
export function printJson(io: Io, value: unknown): void {
  (io.stdoutExact ?? io.stdout)(JSON.stringify(value, null, 2) + '\n');
}

/** A plain aligned table; the header row is dimmed only on a TTY. */
export function printTable(io: Io, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  io.stdout([line(headers), ...rows.map(line)].join('\n') + '\n');
}

/** Exit code for an error: 2 for usage/validation, 1 otherwise (CLI.md). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof SwitchboardError && error.code === 'VALIDATION') return 2;
  return 1;
}

export function printError(io: Io, error: unknown): void {
  const env = toEnvelope(error);
  io.stderr(`switchboard: ${redactSecrets(env.message)}\n`);
}
