import { describe, expect, it } from 'vitest';
import { makePreview, secretKeyMatcher } from './preview';

// makePreview given the text a payload arrived as (the bridge's wire text): cut from that text
// when nothing secret-keyed can be in the part shown, and otherwise exactly as redacting as the
// serialised payload. Each text is what a peer could really send: valid JSON, parsed for the
// payload the way the bridge parses it.
const opts = (secrets: string[] = [], secretHeaders: string[] = []) => ({
  secrets,
  secretHeaders,
  isSecretKey: secretKeyMatcher(secretHeaders),
});
const preview = (text: string, o = opts()) => makePreview(JSON.parse(text), o, text);

describe('makePreview from the wire text', () => {
  it('uses the text as it arrived when no secret key is in it (spacing kept, bytes of the text)', () => {
    const text = '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo"}}';
    const p = preview(text);
    expect(p.preview).toBe(text);
    expect(p.bytes).toBe(Buffer.byteLength(text));
    expect(p.truncated).toBe(false);
  });

  it('redacts a secret-keyed value, however the key is spelled', () => {
    for (const key of ['access_token', 'Access-Token', 'ACCESSTOKEN', 'pass_word']) {
      const text = `{"jsonrpc":"2.0","id":1,"result":{"${key}":"v4lue-k9"}}`;
      const p = preview(text);
      expect(p.preview, key).not.toContain('v4lue-k9');
      expect(p.preview, key).toContain('[REDACTED]');
    }
  });

  it('a caller that passes only its own key matcher gets the serialised, redacted preview', () => {
    const text = '{"jsonrpc":"2.0","id":1,"result":{"X-Tenant-Key":"t3nant-v4lue"}}';
    const p = makePreview(
      JSON.parse(text),
      { isSecretKey: secretKeyMatcher(['X-Tenant-Key']) },
      text,
    );
    expect(p.preview).not.toContain('t3nant-v4lue');
    expect(p.preview).toContain('[REDACTED]');
  });

  it('redacts a key spelled with a \\u escape, which the text would otherwise hide', () => {
    const text = '{"jsonrpc":"2.0","id":1,"result":{"tok\\u0065n":"v4lue-k9"}}';
    const p = preview(text);
    expect(p.preview).not.toContain('v4lue-k9');
  });

  it('finds a known secret the text spells with escapes JSON.stringify would not use', () => {
    const secret = 'ab/cd-Zq';
    for (const text of [
      '{"jsonrpc":"2.0","id":1,"result":{"x":"ab\\/cd-Zq"}}',
      '{"jsonrpc":"2.0","id":1,"result":{"x":"\\u0061b/cd-Zq"}}',
    ]) {
      const p = preview(text, opts([secret]));
      expect(p.preview, text).not.toContain('cd-Zq');
      expect(p.preview, text).toContain('[REDACTED]');
    }
  });

  it("redacts the project's secret headers as keys, and token-shaped values under any key", () => {
    const keyed = preview(
      '{"jsonrpc":"2.0","id":1,"result":{"X-Tenant-Key":"t3nant"}}',
      opts([], ['X-Tenant-Key']),
    );
    expect(keyed.preview).not.toContain('t3nant');
    const shaped = preview(
      '{"jsonrpc":"2.0","id":1,"result":{"note":"ghp_A1b2C3d4E5f6G7h8I9j0K1l2"}}',
    );
    expect(shaped.preview).not.toContain('ghp_A1b2C3d4E5f6G7h8I9j0K1l2');
  });

  it('cuts a large text like the serialised payload, and counts all of its bytes', () => {
    const big = 'x'.repeat(50_000);
    const text = `{"jsonrpc":"2.0","id":1,"result":{"data":"${big}"}}`;
    const p = preview(text);
    expect(p.truncated).toBe(true);
    expect(Buffer.byteLength(p.preview)).toBeLessThanOrEqual(2048);
    expect(p.bytes).toBe(Buffer.byteLength(text));
  });
});
