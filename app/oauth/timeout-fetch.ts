/** Calls to an authorization server never hang a sign-in or hold the refresh lease forever. */
export const AS_REQUEST_TIMEOUT_MS = 15_000;

export function timeoutFetch(base: typeof fetch = fetch, ms = AS_REQUEST_TIMEOUT_MS): typeof fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}
