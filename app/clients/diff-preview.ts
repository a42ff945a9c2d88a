import { formatPatch, structuredPatch } from 'diff';
import { REDACTED, redactSecrets } from '../shared/redact.js';

const CONTEXT = 3;

/**
 * A unified diff of a config edit. Our edits are splices, so the common head and tail are
 * trimmed before diffing (jsdiff on a whole 5 MB file takes seconds); hunk line numbers are
 * shifted back to the full file's.
 */
export function configDiff(
  file: string,
  before: string,
  after: string,
  labels: { before?: string; after?: string } = {},
): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  // The last line carries the end-of-file newline semantics: always leave it to jsdiff.
  const limit = Math.min(a.length, b.length) - 1;
  while (head < limit && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const from = Math.max(0, head - CONTEXT);
  const keepTail = Math.max(0, tail - CONTEXT);
  const sliceA = a.slice(from, a.length - keepTail).join('\n');
  const sliceB = b.slice(from, b.length - keepTail).join('\n');
  // Whole-file ends keep their trailing-newline semantics; inner slices get a common newline.
  const endA = keepTail > 0 ? '\n' : '';
  const endB = keepTail > 0 ? '\n' : '';
  const patch = structuredPatch(
    file,
    file,
    sliceA + endA,
    sliceB + endB,
    labels.before ?? '',
    labels.after ?? '',
    {
      context: CONTEXT,
    },
  );
  for (const hunk of patch.hunks) {
    hunk.oldStart += from;
    hunk.newStart += from;
  }
  return formatPatch(patch).replace(/^(Index: .*\n)?=+\n/, '');
}

// `"aws_secret_access_key": "…"`, `api_key = '…'`: a secret-named key anywhere in the file.
const SECRET_ASSIGNMENT =
  /(["']?[\w.-]*(?:token|secret|passw(?:or)?d|credential|api[-_]?key|apikey|private[-_]?key|auth|cookie|session)[\w.-]*["']?\s*[:=]\s*)(["'])((?:\\.|(?!\2).)*)\2/gi;

/**
 * The whole diff redacted, not only the MCP entries: a config that is really some other JSON
 * (a symlink to a credentials file) has secrets outside any server entry, and the diff is
 * shown in the window and the terminal. Known values, secret-named keys and token shapes go.
 */
export function redactWholeDiff(diff: string, known: readonly string[]): string {
  const byKey = diff.replace(SECRET_ASSIGNMENT, (match, head: string, q: string, value: string) =>
    value === '' || /^\$\{?[\w:.-]+\}?$/.test(value) ? match : `${head}${q}${REDACTED}${q}`,
  );
  return redactSecrets(byKey, known);
}
