import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../shared/errors.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { ProjectsService } from './projects-service.js';

let tmp: TempHome;
let projects: ProjectsService;
beforeEach(async () => {
  tmp = await makeTempHome();
  projects = new ProjectsService(tmp.dataDir);
});
afterEach(() => tmp.cleanup());

async function error(p: Promise<unknown>): Promise<SwitchboardError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SwitchboardError);
  return e as SwitchboardError;
}

describe('projects', () => {
  it('validates with messages that say what to do', async () => {
    expect(
      (await error(projects.add({ name: 'Bad Name', url: 'https://a.test' }))).message,
    ).toMatch(/lowercase/);
    expect((await error(projects.add({ name: 'a', url: 'not a url' }))).message).toMatch(
      /not a URL/,
    );
    expect(
      (await error(projects.add({ name: 'a', url: 'http://example.com/mcp' }))).message,
    ).toMatch(/only for this machine/);
    expect((await error(projects.add({ name: 'a', url: 'ftp://a.test' }))).message).toMatch(
      /https/,
    );
    const auth = await error(
      projects.add({ name: 'a', url: 'https://a.test', headers: { Authorization: 'Bearer x' } }),
    );
    expect(auth.message).toMatch(/token add/);
    expect(auth.message).not.toContain('Bearer x');
    for (const url of [
      'http://localhost:3000/mcp',
      'http://127.0.0.1:1/mcp',
      'http://[::1]:8080/mcp',
    ]) {
      await expect(
        projects.add({ name: `l${url.length}${url.charCodeAt(9)}`, url }),
      ).resolves.toMatchObject({ url });
    }
  });

  it('refuses a duplicate name and finds projects by name or id', async () => {
    const p = await projects.add({ name: 'acme', url: 'https://a.test/mcp', displayName: 'Acme' });
    expect((await error(projects.add({ name: 'acme', url: 'https://b.test/mcp' }))).code).toBe(
      'CONFLICT',
    );
    expect(await projects.get('acme')).toEqual(p);
    expect(await projects.get(p.id)).toEqual(p);
    expect((await error(projects.get('nope'))).code).toBe('NOT_FOUND');
  });

  it('edits, flips the kill switch and removes', async () => {
    const p = await projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    const edited = await projects.edit('acme', {
      url: 'https://b.test/mcp',
      headers: { 'X-Org': 'acme' },
      issuer: { kind: 'gateway', url: 'https://gw.test', project: 'demo' },
    });
    expect(edited).toMatchObject({
      id: p.id,
      url: 'https://b.test/mcp',
      headers: { 'X-Org': 'acme' },
      issuer: { project: 'demo' },
    });
    expect((await projects.edit('acme', { issuer: null })).issuer).toBeUndefined();
    expect((await projects.setConnected('acme', false)).connected).toBe(false);
    expect((await projects.get('acme')).connected).toBe(false);
    await projects.remove('acme');
    expect(await projects.list()).toEqual([]);
  });

  it('notices changes made by another writer', async () => {
    let changes = 0;
    const watcher = projects.watch(() => changes++);
    try {
      await new ProjectsService(tmp.dataDir).add({ name: 'acme', url: 'https://a.test/mcp' });
      const deadline = Date.now() + 2000;
      while (changes === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(changes).toBeGreaterThan(0);
    } finally {
      watcher.close();
    }
  });
});
