import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { CLI_PATH, REPO_ROOT, runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { checkDataDir } from './data-dir-guard.js';

// Issue 16 items 6 and 8, against the built CLI and bridge in a temp HOME/SWITCHBOARD_HOME.
let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome('sb-guard-');
  await new ProjectsService(home.dataDir).add({ name: 'acme', url: 'http://127.0.0.1:9/mcp' });
});
afterEach(async () => {
  await fs.chmod(home.dataDir, 0o700).catch(() => undefined);
  await home.cleanup();
});

const env = () => ({ ...home.env, SWITCHBOARD_SECRET_STORE: 'file' });
const projectsFile = () => path.join(home.dataDir, 'projects.json');

describe('data dir permissions (item 6)', () => {
  it('a fresh data dir passes', () => {
    expect(() => checkDataDir(home.dataDir)).not.toThrow();
  });

  it('refuses a group/world-writable data dir in the CLI and the bridge, saying how to fix it', async () => {
    await fs.chmod(home.dataDir, 0o777);
    const list = await runCliProcess(['project', 'list'], { env: env() });
    expect(list.code).not.toBe(0);
    expect(list.stderr).toContain('writable by other users (mode 777)');
    expect(list.stderr).toContain(`chmod go-w '${home.dataDir}'`);
    const bridge = await runCliProcess(['bridge', '--project', 'acme'], { env: env() });
    expect(bridge.code).toBe(1);
    expect(bridge.stderr).toContain('writable by other users');
    expect(bridge.stdout).toBe('');
    // Nothing was changed, and after the fix it works.
    await fs.chmod(home.dataDir, 0o700);
    expect((await runCliProcess(['project', 'list'], { env: env() })).code).toBe(0);
  });

  it('refuses a writable projects.json and one owned by another user', async () => {
    await fs.chmod(projectsFile(), 0o666);
    expect(() => checkDataDir(home.dataDir)).toThrow(/projects\.json is writable by other users/);
    await fs.chmod(projectsFile(), 0o600);
    // Root can give the file away; anyone else checks it as the uid it is not.
    const uid = process.getuid!();
    if (uid === 0) await fs.chown(projectsFile(), 4242, 4242);
    expect(() => checkDataDir(home.dataDir, { uid: uid === 0 ? 0 : uid + 1 })).toThrow(
      /projects\.json belongs to uid \d+, not you/,
    );
  });

  it('refuses a secret file others can read, or a symlinked one (and never reads through it)', async () => {
    const secretFile = path.join(home.dataDir, 'secrets.insecure.json');
    await fs.writeFile(secretFile, JSON.stringify({ version: 1, secrets: {} }), { mode: 0o644 });
    await fs.chmod(secretFile, 0o644);
    expect(() => checkDataDir(home.dataDir)).toThrow(/can be read by other users \(mode 644\)/);
    await fs.rm(secretFile);
    const elsewhere = path.join(home.home, 'elsewhere.json');
    await fs.writeFile(elsewhere, JSON.stringify({ version: 1, secrets: { a: 'b' } }), {
      mode: 0o600,
    });
    await fs.symlink(elsewhere, secretFile);
    expect(() => checkDataDir(home.dataDir)).toThrow(/secrets\.insecure\.json is a symbolic link/);
    // The store itself opens it with O_NOFOLLOW too (a link swapped in after start-up).
    const { InsecureFileStore } = await import('../vault/file-store.js');
    await expect(new InsecureFileStore(home.dataDir).get('a')).rejects.toThrow(/symbolic link/);
  });
});

describe('kill switch on a read-only data dir (item 8)', () => {
  it('fails at once naming the read-only file system, not a lock', () => {
    // A read-only bind mount in a private mount namespace: the real EROFS, no root needed.
    const r = spawnSync(
      'unshare',
      [
        '-rm',
        'sh',
        '-c',
        `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" "$3" disconnect acme`,
        'sh',
        home.dataDir,
        process.execPath,
        CLI_PATH,
      ],
      { env: env(), cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('read-only');
    expect(r.stderr).toContain('EROFS');
    expect(r.stderr).not.toContain('holds the lock');
  });
});
