import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { adoptSessionBus, findSessionBus } from './session-bus.js';

// Real unix sockets in a temp dir stand in for /run/user/<uid>/bus.
let tmp: TempHome;
let servers: net.Server[] = [];
const uid = process.getuid!();

beforeEach(async () => {
  tmp = await makeTempHome('sb-bus-');
});
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
  await tmp.cleanup();
});

async function socketAt(dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'bus');
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(file, resolve));
  return file;
}

describe.runIf(process.platform === 'linux')('finding the session bus', () => {
  it('leaves a set DBUS_SESSION_BUS_ADDRESS alone', () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/somewhere/else' };
    const choice = adoptSessionBus(env, { runUserRoot: path.join(tmp.home, 'run-user') });
    expect(choice.source).toBe('env');
    expect(env).toEqual({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/somewhere/else' });
  });

  it('uses $XDG_RUNTIME_DIR/bus first, then /run/user/<uid>/bus', async () => {
    const root = path.join(tmp.home, 'run-user');
    const fallback = await socketAt(path.join(root, String(uid)));
    const runtime = await socketAt(path.join(tmp.home, 'runtime'));
    const withXdg = { XDG_RUNTIME_DIR: path.join(tmp.home, 'runtime') };
    expect(adoptSessionBus(withXdg, { runUserRoot: root })).toMatchObject({
      source: 'xdg-runtime-dir',
      address: `unix:path=${runtime}`,
    });
    expect(withXdg).toMatchObject({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtime}` });

    const bare: NodeJS.ProcessEnv = {};
    const choice = adoptSessionBus(bare, { runUserRoot: root });
    expect(choice.source).toBe('run-user');
    expect(choice.detail).toContain(fallback);
    // XDG_RUNTIME_DIR is filled in from the directory the socket is in.
    expect(bare).toEqual({
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${fallback}`,
      XDG_RUNTIME_DIR: path.join(root, String(uid)),
    });
  });

  it('ignores a bus path that is not a socket, and a socket owned by someone else', async () => {
    const root = path.join(tmp.home, 'run-user');
    await fs.mkdir(path.join(root, String(uid)), { recursive: true });
    await fs.writeFile(path.join(root, String(uid), 'bus'), 'not a socket');
    const env: NodeJS.ProcessEnv = {};
    const choice = findSessionBus({ env, platform: 'linux', uid, runUserRoot: root });
    expect(choice.source).toBe('none');
    expect(choice.detail).toContain('no session bus socket owned by uid');

    const other = await socketAt(path.join(tmp.home, 'other'));
    if (uid === 0) {
      // Only root can hand a socket to another user; elsewhere the uid check is the same code.
      await fs.chown(other, 4242, 4242);
      expect(
        findSessionBus({
          env: { XDG_RUNTIME_DIR: path.dirname(other) },
          platform: 'linux',
          uid,
          runUserRoot: root,
        }).source,
      ).toBe('none');
    }
    // Asked as another user, our own socket is not theirs.
    const mine = await socketAt(path.join(tmp.home, 'mine'));
    expect(
      findSessionBus({
        env: { XDG_RUNTIME_DIR: path.dirname(mine) },
        platform: 'linux',
        uid: uid + 1,
        runUserRoot: root,
      }).source,
    ).toBe('none');
  });
});

describe('other platforms', () => {
  it.each(['darwin', 'win32'] as const)('changes nothing on %s', (platform) => {
    const env: NodeJS.ProcessEnv = {};
    expect(adoptSessionBus(env, { platform, uid: 501 }).source).toBe('none');
    expect(env).toEqual({});
  });
});
