import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bridgeV8Flags, fastBridgeArgs } from './bridge-main.js';

describe('fastBridgeArgs', () => {
  it('takes exactly `bridge --project X` and `bridge --project=X`', () => {
    expect(fastBridgeArgs(['bridge', '--project', 'prj_abc'])).toBe('prj_abc');
    expect(fastBridgeArgs(['bridge', '--project=acme'])).toBe('acme');
  });

  it('leaves everything else to the full CLI', () => {
    expect(fastBridgeArgs(['bridge', '--project'])).toBeUndefined();
    expect(fastBridgeArgs(['bridge', '--project', '--help'])).toBeUndefined();
    expect(fastBridgeArgs(['bridge', '--project', 'a', '--verbose'])).toBeUndefined();
    expect(fastBridgeArgs(['bridge', '--project='])).toBeUndefined();
    expect(fastBridgeArgs(['project', 'list'])).toBeUndefined();
    expect(fastBridgeArgs([])).toBeUndefined();
  });
});

describe('bridgeV8Flags', () => {
  it('keeps the heap small in every mode and picks the tiers', () => {
    for (const mode of [undefined, 'full', 'off', 'bogus']) {
      expect(bridgeV8Flags(mode)).toContain('--semi-space-growth-factor=1');
      expect(bridgeV8Flags(mode)).toContain('--optimize-for-size');
    }
    expect(bridgeV8Flags(undefined)).toContain('--no-turbofan');
    expect(bridgeV8Flags('bogus')).toBe(bridgeV8Flags(undefined));
    expect(bridgeV8Flags('full')).not.toContain('turbofan');
    expect(bridgeV8Flags('off')).toContain('--no-opt');
  });

  it('names only flags this V8 knows (an unknown one would print to stderr in every bridge)', () => {
    for (const mode of [undefined, 'full', 'off']) {
      const flags = bridgeV8Flags(mode);
      const run = spawnSync(
        process.execPath,
        ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flags)})`],
        { encoding: 'utf8', timeout: 10_000 },
      );
      expect({ flags, stderr: run.stderr, status: run.status }).toEqual({
        flags,
        stderr: '',
        status: 0,
      });
    }
  });
});
