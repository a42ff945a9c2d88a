import { describe, expect, it } from 'vitest';
import { isUsable, parseExpiry, tokenHealth } from './expiry.js';
import { fingerprint } from './fingerprint.js';

const now = new Date('2026-06-01T00:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('token expiry', () => {
  it('parses 30d, 12h, never and ISO dates', () => {
    expect(parseExpiry('30d', now)).toBe('2026-07-01T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2026-06-01T12:00:00.000Z');
    expect(parseExpiry('never', now)).toBeNull();
    expect(parseExpiry(undefined, now)).toBeNull();
    expect(parseExpiry('2027-01-31', now)).toBe('2027-01-31T00:00:00.000Z');
    expect(() => parseExpiry('soon', now)).toThrow(/30d, 12h, never/);
    expect(() => parseExpiry('2020-01-01', now)).toThrow(/past/);
  });

  it('warns at 7 days and 1 day, and never allows an expired or revoked token', () => {
    const n = now.getTime();
    expect(tokenHealth({ expiresAt: null }, n).status).toBe('active');
    expect(tokenHealth({ expiresAt: at(8 * 86_400_000) }, n).status).toBe('active');
    expect(tokenHealth({ expiresAt: at(6 * 86_400_000) }, n)).toMatchObject({
      status: 'expiring-soon',
      urgency: 'soon',
    });
    expect(tokenHealth({ expiresAt: at(3_600_000) }, n)).toMatchObject({
      status: 'expiring-soon',
      urgency: 'urgent',
    });
    expect(tokenHealth({ expiresAt: at(-1) }, n).status).toBe('expired');
    expect(tokenHealth({ expiresAt: null, revokedAt: at(-5) }, n).status).toBe('revoked');
    expect(isUsable({ expiresAt: at(-1) }, n)).toBe(false);
    expect(isUsable({ expiresAt: at(3_600_000) }, n)).toBe(true);
  });

  it('fingerprints as the first 12 hex chars of SHA-256', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(fingerprint('abc')).toBe('ba7816bf8f01');
  });
});
