import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../../testing/temp-home.js';
import { ERAS_FILE, EraCache, eraKey } from './era-cache.js';

let home: TempHome;
beforeEach(async () => (home = await makeTempHome('sb-era-cache-')));
afterEach(() => home.cleanup());

describe('era cache (eras.json)', () => {
  it('keys by origin and path, remembers and forgets, file mode 0600', async () => {
    expect(eraKey('https://u:p@api.example.com:8443/mcp?token=x')).toBe(
      'https://api.example.com:8443/mcp',
    );
    const cache = new EraCache(home.dataDir);
    expect(await cache.get('http://127.0.0.1:1/mcp')).toBeUndefined();
    await cache.set('http://127.0.0.1:1/mcp', 'modern');
    await cache.set('http://127.0.0.1:1/other', 'legacy');
    expect(await new EraCache(home.dataDir).get('http://127.0.0.1:1/mcp?x=1')).toBe('modern');
    expect(await cache.get('http://127.0.0.1:1/other')).toBe('legacy');
    const stat = await fs.stat(path.join(home.dataDir, ERAS_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    await cache.forget('http://127.0.0.1:1/mcp');
    expect(await cache.get('http://127.0.0.1:1/mcp')).toBeUndefined();
    expect(await cache.get('http://127.0.0.1:1/other')).toBe('legacy');
  });

  it('never overwrites a corrupt file, and says why', async () => {
    await fs.mkdir(home.dataDir, { recursive: true });
    const file = path.join(home.dataDir, ERAS_FILE);
    await fs.writeFile(file, '{"version":1,"servers":{"x":{"era":"maybe"}}');
    const lines: string[] = [];
    const cache = new EraCache(home.dataDir, (l) => lines.push(l));
    expect(await cache.get('http://127.0.0.1:1/mcp')).toBeUndefined();
    await cache.set('http://127.0.0.1:1/mcp', 'modern');
    expect(await fs.readFile(file, 'utf8')).toBe('{"version":1,"servers":{"x":{"era":"maybe"}}');
    expect(lines.join('\n')).toMatch(/eras\.json.*will not overwrite it/);
  });

  it('keeps a modern server’s DiscoverResult, drops it when the era becomes legacy', async () => {
    const cache = new EraCache(home.dataDir);
    const discover = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } };
    await cache.set('http://127.0.0.1:1/mcp', 'modern', discover);
    const again = await new EraCache(home.dataDir).record('http://127.0.0.1:1/mcp');
    expect(again?.discover).toEqual(discover);
    // The same verdict without a discovery (a modern client's own pass-through) keeps it.
    await cache.set('http://127.0.0.1:1/mcp', 'modern');
    expect((await cache.record('http://127.0.0.1:1/mcp'))?.discover).toEqual(discover);
    await cache.set('http://127.0.0.1:1/mcp', 'legacy', discover);
    const legacy = await cache.record('http://127.0.0.1:1/mcp');
    expect(legacy?.era).toBe('legacy');
    expect(legacy?.discover).toBeUndefined();
  });
});
