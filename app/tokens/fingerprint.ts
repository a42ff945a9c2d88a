import crypto from 'node:crypto';

/** First 12 hex chars of SHA-256: enough to tell tokens apart, useless to an attacker. */
export function fingerprint(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
}

export function newTokenId(): string {
  return 'tok_' + crypto.randomBytes(12).toString('hex').slice(0, 16);
}
