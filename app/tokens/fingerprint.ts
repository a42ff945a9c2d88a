import type Crypto from 'node:crypto';
import { lazyBuiltin } from '../platform/lazy-builtin.js';

// Every bridge imports this, most never call it before their first answer.
const crypto = lazyBuiltin<typeof Crypto>('node:crypto');

/** First 12 hex chars of SHA-256: enough to tell tokens apart, useless to an attacker. */
export function fingerprint(value: string): string {
  return crypto().createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
}

export function newTokenId(): string {
  return 'tok_' + crypto().randomBytes(12).toString('hex').slice(0, 16);
}
