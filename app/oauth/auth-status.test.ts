import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  AUTH_STATUS_FILE,
  readAuthStatus,
  readAuthStatuses,
  watchAuthStatuses,
  writeAuthStatus,
} from './auth-status.js';

describe('auth-status.json', () => {
  let t: TempHome;
  beforeEach(async () => {
    t = await makeTempHome();
  });
  afterEach(() => t.cleanup());

  it('records, keeps `since` for an identical status, and clears', async () => {
    expect(await readAuthStatuses(t.dataDir)).toEqual(new Map());
    await writeAuthStatus(t.dataDir, 'prj_a', {
      status: 'permission-needed',
      scopes: ['write'],
      message: 'The server asks for write.',
    });
    const first = await readAuthStatus(t.dataDir, 'prj_a');
    expect(first).toMatchObject({ status: 'permission-needed', scopes: ['write'] });
    await new Promise((r) => setTimeout(r, 5));
    await writeAuthStatus(t.dataDir, 'prj_a', {
      status: 'permission-needed',
      scopes: ['write'],
      message: 'The server asks for write.',
    });
    expect((await readAuthStatus(t.dataDir, 'prj_a'))?.since).toBe(first?.since);
    await writeAuthStatus(t.dataDir, 'prj_b', { status: 'sign-in-needed' });
    await writeAuthStatus(t.dataDir, 'prj_a', undefined);
    expect([...(await readAuthStatuses(t.dataDir)).keys()]).toEqual(['prj_b']);
    const mode = (await fs.stat(path.join(t.dataDir, AUTH_STATUS_FILE))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('tells watchers when another process changes it', async () => {
    await writeAuthStatus(t.dataDir, 'prj_a', { status: 'signed-in' });
    let changes = 0;
    const watcher = watchAuthStatuses(t.dataDir, () => changes++);
    try {
      await writeAuthStatus(t.dataDir, 'prj_a', { status: 'sign-in-needed' });
      for (let i = 0; i < 40 && changes === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(changes).toBeGreaterThan(0);
    } finally {
      watcher.close();
    }
  });

  it('refuses a mistyped file instead of guessing', async () => {
    await fs.mkdir(t.dataDir, { recursive: true });
    await fs.writeFile(
      path.join(t.dataDir, AUTH_STATUS_FILE),
      JSON.stringify({ version: 1, projects: { prj_a: { status: 'fine', since: 'now' } } }),
    );
    await expect(readAuthStatuses(t.dataDir)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });
});
