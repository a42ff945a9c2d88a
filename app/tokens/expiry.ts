import { SwitchboardError } from '../shared/errors.js';
import type { TokenRecord, TokenStatus } from './token.js';

const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY };

/** `30d`, `12h`, `90m`, `2w`, `never` or an ISO date → an ISO expiry (or null for never). */
export function parseExpiry(spec: string | undefined, now = new Date()): string | null {
  if (spec === undefined || spec === 'never') return null;
  const rel = /^(\d{1,5})([mhdw])$/.exec(spec.trim());
  if (rel) return new Date(now.getTime() + Number(rel[1]) * UNIT_MS[rel[2]!]!).toISOString();
  const t = Date.parse(spec);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(spec)) {
    throw new SwitchboardError(
      'VALIDATION',
      `Cannot read the expiry "${spec}": use 30d, 12h, never or an ISO date like 2027-01-31.`,
    );
  }
  if (t <= now.getTime()) {
    throw new SwitchboardError('VALIDATION', `The expiry ${spec} is in the past.`);
  }
  return new Date(t).toISOString();
}

/** Warning thresholds: expiring-soon at 7 days, urgent at 1 day. */
export const EXPIRY_WARN_MS = 7 * DAY;
export const EXPIRY_URGENT_MS = DAY;

export interface TokenHealth {
  status: TokenStatus;
  /** Milliseconds until expiry (negative once expired); absent for tokens that never expire. */
  expiresInMs?: number;
  /** 'urgent' within a day of expiry. */
  urgency?: 'soon' | 'urgent';
}

export function tokenHealth(
  record: Pick<TokenRecord, 'expiresAt' | 'revokedAt'>,
  now = Date.now(),
): TokenHealth {
  if (record.revokedAt) return { status: 'revoked' };
  if (!record.expiresAt) return { status: 'active' };
  const left = Date.parse(record.expiresAt) - now;
  if (left <= 0) return { status: 'expired', expiresInMs: left };
  if (left <= EXPIRY_URGENT_MS)
    return { status: 'expiring-soon', expiresInMs: left, urgency: 'urgent' };
  if (left <= EXPIRY_WARN_MS)
    return { status: 'expiring-soon', expiresInMs: left, urgency: 'soon' };
  return { status: 'active', expiresInMs: left };
}

/** A token may be sent only while it is neither revoked nor expired. */
export function isUsable(
  record: Pick<TokenRecord, 'expiresAt' | 'revokedAt'>,
  now = Date.now(),
): boolean {
  const { status } = tokenHealth(record, now);
  return status === 'active' || status === 'expiring-soon';
}
