import { SwitchboardError, toEnvelope } from '../shared/errors.js';
import { redactSecrets } from '../shared/redact.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** One JSON document on stdout, nothing else (CLI.md). */
export function printJson(io: Io, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
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
