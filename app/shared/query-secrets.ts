/**
 * Which URL query parameters hold a secret. Shared by input validation (also in the renderer's
 * types) and the `query-secret` credential kind (app/tokens/url-secrets.ts).
 */

// Eager like the doctor's scan (a superset of its names): a false positive only means a
// harmless parameter is kept in the keychain.
const SECRET_PARAM =
  /api[-_]?key|apikey|access[-_]?key|private[-_]?key|token|secret|passw(?:or)?d|pwd|credential|signature|jwt|session|auth|cookie|^(?:key|sig|code)$/i;

/** Does a query parameter of this name hold a secret? */
export function isSecretQueryParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** The names of the URL's query parameters that are secret-named or listed in `marked`. */
export function secretQueryParams(url: URL, marked: readonly string[] = []): string[] {
  const names = new Set<string>();
  for (const name of url.searchParams.keys()) {
    if (isSecretQueryParam(name) || marked.includes(name)) names.add(name);
  }
  return [...names];
}

/** `url` without the named query parameters. */
export function withoutQueryParams(url: URL, names: readonly string[]): URL {
  const out = new URL(url.href);
  for (const name of names) out.searchParams.delete(name);
  return out;
}
