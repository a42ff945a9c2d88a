import { SwitchboardError } from '../shared/errors.js';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A config file we refuse to write: says where, why, and that the file was left untouched. */
export function unparseable(
  file: string,
  why: string,
  pos?: { line: number; column: number },
): SwitchboardError {
  const where = pos ? `${file}:${pos.line}:${pos.column}` : file;
  return new SwitchboardError(
    'CORRUPT_STORE',
    `Cannot parse ${where}: ${why}. Switchboard left the file untouched; fix it (or move it away) and try again.`,
    { path: file, ...(pos ?? {}) },
  );
}
