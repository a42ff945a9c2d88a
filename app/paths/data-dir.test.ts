import { describe, expect, it } from 'vitest';
import { dataDir } from './data-dir.js';

describe('data dir (Electron userData for "Switchboard")', () => {
  it('follows each OS convention', () => {
    expect(dataDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe(
      '/home/u/.config/Switchboard',
    );
    expect(
      dataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/u' }),
    ).toBe('/x/cfg/Switchboard');
    expect(dataDir({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/Switchboard',
    );
    expect(
      dataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        home: 'C:\\Users\\u',
      }),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\Switchboard');
  });

  it('is overridden by SWITCHBOARD_HOME', () => {
    expect(
      dataDir({ platform: 'linux', env: { SWITCHBOARD_HOME: '/tmp/sb' }, home: '/home/u' }),
    ).toBe('/tmp/sb');
  });
});
