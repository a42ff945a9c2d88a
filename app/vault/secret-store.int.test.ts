import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { INSECURE_SECRETS_FILE } from './file-store.js';
import { KeychainStore } from './keychain-store.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

describe('secret store choice', () => {
  it('fails with what is missing and how to fix it when no keychain is reachable', async () => {
    // A session bus address that points nowhere: the Secret Service cannot be reached.
    const env = {
      ...tmp.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tmp.home, 'no-bus')}`,
    };
    await runCliProcess(['project', 'add', 'acme', '--url', 'https://a.test/mcp'], { env });
    const r = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
      env,
      stdin: 'sbx_' + 'q'.repeat(30),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('keychain is not usable');
    expect(r.stderr).toContain('SWITCHBOARD_SECRET_STORE=file');
    expect(r.stderr).not.toContain('q'.repeat(30));
    const tokens = await fs.readFile(path.join(tmp.dataDir, 'tokens.json'), 'utf8').catch(() => '');
    expect(tokens).not.toContain('"name"'); // no record points at a secret that was never stored
  });

  it('uses the explicit insecure file store (0600) and warns while it is on', async () => {
    const env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' };
    await runCliProcess(['project', 'add', 'acme', '--url', 'https://a.test/mcp'], { env });
    const r = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
      env,
      stdin: 'plain-value-123',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: Secrets are stored in a plain file');
    const file = path.join(tmp.dataDir, INSECURE_SECRETS_FILE);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(file, 'utf8')).toContain('plain-value-123');
  });

  it('rejects an unknown SWITCHBOARD_SECRET_STORE', async () => {
    const env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'plaintext' };
    await runCliProcess(['project', 'add', 'acme', '--url', 'https://a.test/mcp'], { env });
    const r = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], { env, stdin: 'v' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"keychain" or "file"');
  });
});

describe('switching the secret store', () => {
  it('moves existing secrets both ways and keeps them usable', async () => {
    const env = tmp.env;
    await runCliProcess(['project', 'add', 'acme', '--url', 'https://a.test/mcp'], { env });
    const add = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
      env,
      stdin: 'moving-value-1234',
    });
    expect(add.code, add.stderr).toBe(0);
    const toFile = await runCliProcess(['settings', 'secret-store', 'file', '--yes'], { env });
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toContain('1 moved');
    const file = path.join(tmp.dataDir, INSECURE_SECRETS_FILE);
    expect(await fs.readFile(file, 'utf8')).toContain('moving-value-1234');
    const show = await runCliProcess(['settings', '--json'], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({ secretStore: 'file' });
    const back = await runCliProcess(['settings', 'secret-store', 'keychain'], { env });
    expect(back.code, back.stderr).toBe(0);
    // Emptied by the move, the plaintext file is deleted.
    await expect(fs.access(file)).rejects.toThrow();
    const list = JSON.parse((await runCliProcess(['token', 'list', '--json'], { env })).stdout);
    expect(list).toHaveLength(1);
    expect(await new KeychainStore().get(list[0].id)).toBe('moving-value-1234');
    await new KeychainStore().delete(list[0].id);
  });
});
