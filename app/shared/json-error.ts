/**
 * What went wrong parsing JSON, without quoting the text: V8's SyntaxError messages embed a
 * snippet of the input (up to 10 characters of a body, a token, a secret file), so only the
 * position survives.
 */
export function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) return `invalid JSON at position ${at[1]}`;
  if (/end of (JSON )?input|Unterminated/i.test(message)) return 'invalid JSON (it ends early)';
  return 'invalid JSON';
}
