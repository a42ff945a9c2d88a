import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../contract/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices, type Services } from '../services.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { INSECURE_SECRETS_FILE } from '../vault/file-store.js';
import { KeychainStore } from '../vault/keychain-store.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome('sb-settings-');
});
afterEach(() => tmp.cleanup());

function host(env: NodeJS.ProcessEnv = tmp.env): { services: Services; dispatch: Dispatch } {
  const services = createServices({ dataDir: tmp.dataDir, env });
  return { services, dispatch: createDispatcher(createHandlers(services)) };
}

describe('settings.setSecretStore in a long-lived process (the app)', () => {
  it('moves the secret both ways and the same services keep finding it', async () => {
    requireKeyringSession();
    const { services, dispatch } = host();
    await dispatch('projects.add', { name: 'acme', url: 'https://a.test/mcp', auth: 'bearer' });
    const added = await dispatch('tokens.add', { project: 'acme', value: 'switch-value-12345' });
    expect(added.ok).toBe(true);
    const [record] = await services.tokens.list('acme');
    // Read once before the switch, as a running app has.
    expect(await services.tokens.secretOf(record!)).toBe('switch-value-12345');

    const toFile = await dispatch('settings.setSecretStore', { store: 'file' });
    expect(toFile).toMatchObject({
      ok: true,
      value: { moved: 1, settings: { secretStore: 'file' } },
    });
    expect(await new KeychainStore().get(record!.id)).toBeUndefined();
    expect(await services.tokens.secretOf(record!)).toBe('switch-value-12345');

    const back = await dispatch('settings.setSecretStore', { store: 'keychain' });
    expect(back).toMatchObject({
      ok: true,
      value: { moved: 1, settings: { secretStore: 'keychain' } },
    });
    expect(await services.tokens.secretOf(record!)).toBe('switch-value-12345');
    // Emptied by the move, the plaintext file is gone.
    await expect(fs.access(path.join(tmp.dataDir, INSECURE_SECRETS_FILE))).rejects.toThrow();
    await new KeychainStore().delete(record!.id);
  });
});

describe('settings views and refusals', () => {
  it('says why the file store is on: chosen in Settings, or forced by the environment', async () => {
    expect(await host().dispatch('settings.get', undefined)).toEqual({
      ok: true,
      value: { secretStore: 'keychain' },
    });
    const forced = await host({ ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' }).dispatch(
      'settings.get',
      undefined,
    );
    expect(forced).toMatchObject({
      ok: true,
      value: { secretStore: 'file', secretStoreOverride: 'file' },
    });
    expect(JSON.stringify(forced)).toContain('(SWITCHBOARD_SECRET_STORE=file)');

    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(
      path.join(tmp.dataDir, 'settings.json'),
      JSON.stringify({ version: 1, secretStore: 'file' }),
    );
    const chosen = await host().dispatch('settings.get', undefined);
    expect(chosen).toMatchObject({ ok: true, value: { secretStore: 'file' } });
    expect(JSON.stringify(chosen)).toContain('chosen in Settings');
    expect(JSON.stringify(chosen)).not.toContain('secretStoreOverride');
  });

  it('reports a bad SWITCHBOARD_SECRET_STORE as a validation error with the allowed values', async () => {
    const r = await host({ ...tmp.env, SWITCHBOARD_SECRET_STORE: 'plain' }).dispatch(
      'settings.get',
      undefined,
    );
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('"keychain" or "file"') },
    });
  });

  it('refuses to switch while the environment overrides the choice, and changes nothing', async () => {
    const { dispatch } = host({ ...tmp.env, SWITCHBOARD_SECRET_STORE: 'keychain' });
    const r = await dispatch('settings.setSecretStore', { store: 'file' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(JSON.stringify(r)).toContain('unset it first');
    await expect(fs.access(path.join(tmp.dataDir, 'settings.json'))).rejects.toThrow();
  });

  it('without the desktop shell, launch at login is unavailable and cannot be set', async () => {
    const { dispatch } = host();
    expect(await dispatch('settings.getLaunchAtLogin', undefined)).toEqual({
      ok: true,
      value: { available: false, enabled: false },
    });
    const set = await dispatch('settings.setLaunchAtLogin', { enabled: true });
    expect(set).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await dispatch('settings.setSecretStore', { store: 'plaintext' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});
