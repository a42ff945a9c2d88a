import { redactSecrets } from './redact.js';

/** Header names that carry credentials (the doctor moves these into the keychain too). */
export const SECRET_HEADER_NAME = /token|secret|key|auth|cookie|session|passw/i;

/** A header that should be a secret header: its name says so, or its value is token-shaped. */
export function looksLikeSecretHeader(name: string, value: string): boolean {
  return SECRET_HEADER_NAME.test(name) || redactSecrets(value) !== value;
}
