import type { SecretStore } from '../vault/secret-store.js';
import { isUsable } from './expiry.js';
import type { TokenRecord } from './token.js';

export {
  isSecretQueryParam,
  secretQueryParams,
  withoutQueryParams,
} from '../shared/query-secrets.js';

/**
 * Secrets carried in a URL's query (`?api_key=…`), as a credential kind of their own
 * (`query-secret`): the value lives in the keychain like any token, the project stores only the
 * parameter's name, and the bridge appends it to the URL on the wire alone, so it never appears
 * in projects.json, in printed or JSON output, in the window or in audit.
 */

/** The URL as sent: the project's URL with the query secrets added. */
export function withQuerySecrets(url: URL, query: Readonly<Record<string, string>>): URL {
  const names = Object.keys(query);
  if (names.length === 0) return url;
  const out = new URL(url.href);
  for (const name of names) out.searchParams.set(name, query[name]!);
  return out;
}

export type QuerySecretsResult =
  | { ok: true; query: Record<string, string>; values: string[]; used: TokenRecord[] }
  | { ok: false; message: string };

/** The project's query secrets from its records and the secret store (for the bridge). */
export async function resolveQuerySecrets(
  project: { name: string; secretQuery?: readonly string[] },
  records: readonly TokenRecord[],
  store: SecretStore,
): Promise<QuerySecretsResult> {
  const query: Record<string, string> = {};
  const values: string[] = [];
  const used: TokenRecord[] = [];
  for (const param of project.secretQuery ?? []) {
    const rec = records.find(
      (r) => r.kind === 'query-secret' && r.queryParam === param && !r.revokedAt && isUsable(r),
    );
    const value = rec ? await store.get(rec.id) : undefined;
    if (!rec || !value) {
      return {
        ok: false,
        message: `Project ${project.name} needs a value for the secret query parameter ${param} — add it: switchboard token add ${project.name} --kind query-secret --param ${param} --token-stdin.`,
      };
    }
    query[param] = value;
    values.push(value);
    used.push(rec);
  }
  return { ok: true, query, values, used };
}
