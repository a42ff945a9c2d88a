import { describe, expect, it, vi } from 'vitest';

// Electron cannot run here (no binary); the main-process glue is tested with it mocked.
const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc } = await import('./register-ipc.js');
const { isTrustedUrl } = await import('./trusted-sender.js');
const { INVOKE_CHANNELS } = await import('../../app/contract/channels.js');

describe('trusted sender check', () => {
  it('accepts only our own app:// origin (and the dev server when given)', () => {
    expect(isTrustedUrl('app://switchboard/index.html')).toBe(true);
    expect(isTrustedUrl('app://switchboard/index.html#/audit')).toBe(true);
    for (const bad of [
      undefined,
      '',
      'app://switchboard.evil.com/index.html',
      'app://evil/index.html',
      'app://user:pw@switchboard/index.html',
      'file:///etc/passwd',
      'https://switchboard/',
      'http://localhost:5173/',
      'not a url',
    ]) {
      expect(isTrustedUrl(bad), String(bad)).toBe(false);
    }
    expect(isTrustedUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5173@evil.com/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedUrl('http://localhost:51730/', 'http://localhost:5173')).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers every channel and refuses untrusted senders before dispatching', async () => {
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'dispatched' }));
    const unregister = registerIpc(dispatch);
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());

    const handler = handlers.get('projects.list')!;
    const refused = await handler({ senderFrame: { url: 'https://evil.example/' } }, undefined);
    expect(refused).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await handler({ senderFrame: null }, undefined)).toMatchObject({ ok: false });
    expect(dispatch).not.toHaveBeenCalled();

    const ok = await handler({ senderFrame: { url: 'app://switchboard/index.html' } }, undefined);
    expect(ok).toEqual({ ok: true, value: 'dispatched' });
    expect(dispatch).toHaveBeenCalledWith('projects.list', undefined);
    unregister();
    expect(handlers.size).toBe(0);
  });
});
