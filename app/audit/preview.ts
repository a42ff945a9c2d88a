import { REDACTED, redactSecrets } from '../shared/redact.js';

/** Default size of a payload preview (bytes of UTF-8). */
export const DEFAULT_PREVIEW_BYTES = 2048;

export interface RedactionOptions {
  /** Known secret values (the bearer token, secret header values): removed wherever they occur. */
  secrets?: readonly string[];
  /** Header names whose values are secret (the project's `secretHeaders`). */
  secretHeaders?: readonly string[];
  /** A prebuilt `secretKeyMatcher(secretHeaders)` (writers build it once). */
  isSecretKey?: (key: string) => boolean;
}

export interface PreviewOptions extends RedactionOptions {
  /** Maximum preview size in bytes; default 2 KB. */
  maxBytes?: number;
  /** Keep the whole (still redacted) payload: the per-project opt-in. */
  full?: boolean;
}

/**
 * Keys whose values are secret wherever they appear in a payload (compared lower-case with
 * `-` and `_` removed). Token-shaped values under other keys are caught by `redactSecrets`.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bearer',
  'clientsecret',
  'password',
  'secret',
  'privatekey',
]);

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/** A predicate for "this key's value is secret", including the configured secret headers. */
export function secretKeyMatcher(secretHeaders: readonly string[] = []): (key: string) => boolean {
  const extra = new Set(secretHeaders.map(normalizeKey));
  // Payload keys repeat endlessly (jsonrpc, id, params…): remember each verdict.
  const seen = new Map<string, boolean>();
  return (key) => {
    let verdict = seen.get(key);
    if (verdict === undefined) {
      const k = normalizeKey(key);
      verdict = SECRET_KEYS.has(k) || extra.has(k);
      if (seen.size < 10_000) seen.set(key, verdict);
    }
    return verdict;
  };
}

const defaultMatcher = secretKeyMatcher();

/** JSON text with every secret-keyed value replaced by the redaction marker. */
function stringifyRedactingKeys(
  value: unknown,
  isSecret: (key: string) => boolean = defaultMatcher,
): string {
  try {
    return (
      JSON.stringify(value, (key, v: unknown) =>
        key !== '' && isSecret(key) && v !== null && v !== undefined ? REDACTED : v,
      ) ?? 'null'
    );
  } catch {
    // Cyclic or BigInt values cannot come off the wire, but a preview must never throw.
    return JSON.stringify(String(value));
  }
}

/** Redacts secret-keyed values structurally, then token-shaped strings in the text. */
export function redactJson(value: unknown, opts: RedactionOptions = {}): string {
  return redactSecrets(stringifyRedactingKeys(value, matcherFor(opts)), opts.secrets ?? []);
}

/**
 * The redacted, truncated JSON text stored in an audit event. Redaction runs before the final
 * cut; a large payload is first cut at a delimiter (`"`, `,`, space, brace) so no token is ever
 * split into a fragment too short for the patterns to recognise.
 */
export function makePreview(
  payload: unknown,
  opts: PreviewOptions = {},
  payloadText?: string,
): { preview: string; truncated: boolean; bytes: number } {
  const max = opts.full ? Number.POSITIVE_INFINITY : (opts.maxBytes ?? DEFAULT_PREVIEW_BYTES);
  const window = Math.max(max * 4, 8192);
  const raw =
    payloadText !== undefined && canShowAsIs(payloadText, window, opts)
      ? payloadText
      : stringifyRedactingKeys(payload, matcherFor(opts));
  const bytes = Buffer.byteLength(raw);
  let text = raw;
  let cut = false;
  if (text.length > window) {
    const head = text.slice(0, window);
    const at = Math.max(
      head.lastIndexOf('"'),
      head.lastIndexOf(','),
      head.lastIndexOf(' '),
      head.lastIndexOf('{'),
      head.lastIndexOf('['),
    );
    text = at > 0 ? head.slice(0, at) : '';
    cut = true;
  }
  text = redactSecrets(text, opts.secrets ?? []);
  if (Buffer.byteLength(text) > max) {
    text = truncateUtf8(text, max);
    cut = true;
  }
  return { preview: text, truncated: cut, bytes };
}

/**
 * Whether the text a payload arrived as can stand for it in a preview: no secret key occurs in
 * the part a preview can show (keys compared like secretKeyMatcher, lower-case without `-`
 * and `_`, so any occurrence in the text counts), and no `\u` or `\/` escape, the only ways
 * the text can spell a key or a known secret other than JSON.stringify would (the known-secret
 * pass that follows then finds every secret just as it would in the serialised payload).
 */
function canShowAsIs(text: string, window: number, opts: RedactionOptions): boolean {
  // A caller's own key matcher cannot be checked against text: serialise.
  if (opts.isSecretKey && !opts.secretHeaders) return false;
  const shown = text.length > window + 64 ? text.slice(0, window + 64) : text;
  if (shown.includes('\\u') || shown.includes('\\/')) return false;
  const normalized = normalizeKey(shown);
  for (const key of SECRET_KEYS) if (normalized.includes(key)) return false;
  for (const name of opts.secretHeaders ?? []) {
    if (normalized.includes(normalizeKey(name))) return false;
  }
  return true;
}

function matcherFor(opts: RedactionOptions): (key: string) => boolean {
  if (opts.isSecretKey) return opts.isSecretKey;
  return opts.secretHeaders?.length ? secretKeyMatcher(opts.secretHeaders) : defaultMatcher;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  // Do not leave half of a surrogate pair.
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}
