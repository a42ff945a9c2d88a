import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('removes known values and Authorization schemes', () => {
    expect(redactSecrets('token=hunter2hunter2 ok', ['hunter2hunter2'])).toBe(
      'token=[REDACTED] ok',
    );
    expect(redactSecrets('Authorization: Bearer abcdefgh12345678')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
    expect(redactSecrets('"authorization":"Basic dXNlcjpwYXNzd29yZA=="')).toContain(
      'Basic [REDACTED]',
    );
  });

  it('catches token-shaped strings of the usual families', () => {
    const samples = [
      'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
      'sk-proj-' + 'a'.repeat(10) + 'B1'.repeat(10),
      'xoxb-123456789012-abcdefghijkl',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'a'.repeat(8) + '0123456789abcdef0123456789abcdef',
    ];
    for (const s of samples) expect(redactSecrets(`x ${s} y`), s).toBe('x [REDACTED] y');
  });

  it('catches every minted gateway token shape, base64url or hex', () => {
    for (let i = 0; i < 2000; i++) {
      const b64 = `sbx_${crypto.randomBytes(24).toString('base64url')}`;
      const hex = `mcp_${crypto.randomBytes(24).toString('hex')}`;
      expect(redactSecrets(`a ${b64} b`)).not.toContain(b64.slice(4, 20));
      expect(redactSecrets(`a ${hex} b`)).not.toContain(hex.slice(4, 20));
    }
  });

  it('leaves ordinary protocol text readable', () => {
    const text =
      'tools/call trigger_long_running_operation notifications/resources/list_changed get_weather_forecast_for_city 2026-11-22T01:00:00Z';
    expect(redactSecrets(text)).toBe(text);
  });
});
