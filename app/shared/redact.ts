/**
 * Redaction applied to anything that may reach a log, an error message, an audit event or a
 * test snapshot. It is deliberately eager: a false positive costs a few characters of context.
 */
const PATTERNS: RegExp[] = [
  // Authorization header values, in header, JSON and CLI forms.
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // prefix_random tokens (gateway `<prefix>_…`, GitHub ghp_/gho_, Slack xox?-, OpenAI sk-…).
  /\b(?:[a-z]{2,12}[_-])(?:[a-z]{2,12}[_-])?[A-Za-z0-9]{20,}\b/g,
  // …and their base64url / hex forms (mixed case, so snake_case names survive).
  /\b[a-z]{2,12}_(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{20,}/g,
  /\b[a-z]{2,12}_[a-f0-9]{24,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  // JWTs.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Long opaque strings: hex and base64url runs of 32+ characters.
  /\b[A-Fa-f0-9]{32,}\b/g,
  /\b[A-Za-z0-9_-]{40,}\b/g,
];

export const REDACTED = '[REDACTED]';

/**
 * Replaces each known secret value (of 4+ characters) wherever it appears: verbatim, and in the
 * JSON-escaped form it takes inside JSON text when it holds a `"`, `\\` or control character.
 */
export function replaceKnownSecrets(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) {
    if (secret.length < 4) continue;
    for (const form of secretForms(secret)) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** Whether a known secret value (of 4+ characters) appears in `text`, in either form above. */
export function containsKnownSecret(text: string, secret: string): boolean {
  return secret.length >= 4 && secretForms(secret).some((form) => text.includes(form));
}

function secretForms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/**
 * Could `text` hold anything PATTERNS match? Each pattern needs one of these: an auth scheme
 * word, a Slack prefix, a JWT header, or a run of 20+ token characters. Most text the bridge
 * and the audit redact (methods, ids, names, JSON-RPC payloads) has none, and skipping the
 * regexes is most of the cost of redacting it.
 */
const TOKEN_RUN = /[A-Za-z0-9_-]{20}/;
const TOKEN_HINT = /(?:bearer|basic|token)\s|xox[abprs]-|eyJ/i;

export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = replaceKnownSecrets(text, known);
  if (!TOKEN_RUN.test(out) && !TOKEN_HINT.test(out)) return out;
  for (const re of PATTERNS) {
    out = out.replace(re, (match, scheme: unknown) =>
      typeof scheme === 'string' && /^(bearer|basic|token)$/i.test(scheme)
        ? `${scheme} ${REDACTED}`
        : REDACTED,
    );
  }
  return out;
}
