import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { fnv1a, requireWithCodeCache } from './code-cache.js';

// The bridge's loader (cjs-entry.ts) on a real CommonJS file and V8's real code cache, in a temp
// data directory. Node 20 (this machine, CI) takes the vm.Script path; Node ≥ 22.1 would use its
// own compile cache, which these tests cannot reach.
let tmp: TempHome;
let bundle: string;
let cacheDir: string;

const BUNDLE = `
  const answer = () => 40 + 2;
  module.exports = { answer, dir: __dirname, later: () => import('./later.mjs') };
`;

beforeEach(async () => {
  tmp = await makeTempHome('sb-code-cache-');
  fs.mkdirSync(tmp.dataDir, { recursive: true });
  cacheDir = path.join(tmp.dataDir, 'cache');
  bundle = path.join(tmp.home, 'bundle.cjs');
  fs.writeFileSync(bundle, BUNDLE);
  fs.writeFileSync(path.join(tmp.home, 'later.mjs'), 'export const later = "esm chunk";\n');
});
afterEach(async () => {
  await tmp.cleanup();
});

type Bundle = { answer: () => number; dir: string; later: () => Promise<{ later: string }> };
const load = () => requireWithCodeCache(bundle, { dir: cacheDir, buildId: 'test' });
const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);

describe('requireWithCodeCache', () => {
  it('runs the bundle like require(), its import() chunks included', async () => {
    const m = load();
    const exp = m.exports as Bundle;
    expect(exp.answer()).toBe(42);
    expect(exp.dir).toBe(tmp.home);
    await expect(exp.later()).resolves.toMatchObject({ later: 'esm chunk' });
  });

  // Whether V8 takes or refuses a cache is tested across processes (bridge-startup.test.ts): in
  // one process V8's own in-memory compilation cache answers a second compile of the same file.
  it('writes the cache only when asked, private, beside nothing else', () => {
    const first = load();
    expect(first.cache).toBe('miss');
    expect(cacheFiles()).toEqual([]);
    first.saveCache();
    const [name, ...more] = cacheFiles();
    expect(more).toEqual([]);
    expect(name).toMatch(/^bridge-test-[0-9a-f]{8}\.v8$/);
    expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(cacheDir, name!)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(cacheDir, name!)).size).toBeGreaterThan(0);
  });

  it('an edited bundle never meets the old cache', () => {
    load().saveCache();
    fs.writeFileSync(bundle, BUNDLE.replace('40 + 2', '40 + 3'));
    const m = load();
    expect(m.cache).toBe('miss');
    expect((m.exports as Bundle).answer()).toBe(43);
  });

  it('never creates a missing data directory', () => {
    fs.rmSync(tmp.dataDir, { recursive: true });
    const m = load();
    m.saveCache();
    expect(fs.existsSync(tmp.dataDir)).toBe(false);
    expect((m.exports as Bundle).answer()).toBe(42);
  });

  it('without a cache directory it is a plain require', () => {
    const m = requireWithCodeCache(bundle, { dir: undefined, buildId: 'test' });
    expect(m.cache).toBe('runtime');
    expect((m.exports as Bundle).answer()).toBe(42);
  });
});

describe('fnv1a', () => {
  it('is stable and spreads nearby keys', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('1|2')).not.toBe(fnv1a('1|3'));
  });
});
