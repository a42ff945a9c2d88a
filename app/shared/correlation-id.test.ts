import { describe, expect, it } from 'vitest';
import { correlationHex } from './correlation-id.js';

describe('correlationHex', () => {
  it('gives 2 hex digits per byte', () => {
    expect(correlationHex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(correlationHex(3)).toMatch(/^[0-9a-f]{6}$/);
  });

  it('does not repeat across many draws', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => correlationHex(8)));
    expect(seen.size).toBe(10_000);
  });
});
