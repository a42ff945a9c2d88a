/**
 * What the bridge asks for before each upstream request: the headers that carry the project's
 * credentials right now. The real provider (tokens/credential-provider.ts) reads token records
 * from the data dir and values from the keychain, reloads within a second of a rotation, and
 * refuses expired or revoked tokens. Tests may use `staticCredentials`.
 */
export type CredentialState =
  | {
      ok: true;
      /** Authorization and secret headers to add to the request (may be empty for auth "none"). */
      headers: Record<string, string>;
      /** Fingerprint (12 hex chars of SHA-256) of the bearer token in use, for audit. */
      fingerprint?: string;
      /** Every secret value in `headers` and `query`, so redaction can remove them verbatim. */
      secretValues: string[];
      /** Secret URL query parameters, added to the request URL on the wire only. */
      query?: Record<string, string>;
      /**
       * The endpoint to talk to when it is not the project's `url` (a provisioned per-tenant
       * endpoint, or its shared fallback). A change makes the bridge open a new upstream session.
       */
      url?: string;
    }
  | {
      ok: false;
      reason: 'missing' | 'expired' | 'revoked' | 'keychain' | 'login-required';
      /** Names the project and the fix, e.g. "token expired — rotate it in Switchboard". */
      message: string;
    };

export interface CredentialProvider {
  current(): Promise<CredentialState>;
  /** Records that the credential was used (throttled by the implementation). */
  markUsed(): void;
  /**
   * The upstream rejected the credential sent with `fingerprint` (HTTP 401, or 403 with its
   * `WWW-Authenticate` challenge). Resolves true when a different credential is now available
   * (e.g. an OAuth refresh succeeded) and the request may be sent once more; false when the
   * caller should answer with the failure. Rejects with an Error whose message names the fix
   * (e.g. "permission needed: admin — sign in again") when that is the answer the client should
   * get. Providers without a way to recover omit it.
   */
  rejected?(rejection: CredentialRejection): Promise<boolean>;
  close(): void;
}

export interface CredentialRejection {
  status: 401 | 403;
  /** The response's `WWW-Authenticate` header, if any (e.g. `Bearer error="insufficient_scope"`). */
  wwwAuthenticate?: string;
  /** Fingerprint of the credential that was rejected, so a refresh happens only once per token. */
  fingerprint?: string;
}

export function staticCredentials(
  headers: Record<string, string>,
  fingerprint?: string,
): CredentialProvider {
  const secretValues = Object.values(headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')]);
  return {
    current: async () =>
      fingerprint === undefined
        ? { ok: true, headers, secretValues }
        : { ok: true, headers, fingerprint, secretValues },
    markUsed: () => undefined,
    close: () => undefined,
  };
}
