import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempHome, type TempHome } from '../../app/testing/temp-home.js';

// Electron cannot run here (no binary): ipcMain is a recorder, and the tests call the recorded
// handlers the way Electron would, with the real dispatcher over real services behind them.
type Handler = (event: unknown, input: unknown) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc, handleInvoke } = await import('./register-ipc.js');
const { INVOKE_CHANNELS } = await import('../../app/contract/channels.js');
const { createDispatcher } = await import('../../app/contract/dispatch.js');
const { createHandlers } = await import('../../app/ipc/handlers.js');
const { createServices } = await import('../../app/services.js');

/** Deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'prj_',
  'prj_aaaaaaaaaaaa',
  '../../etc/passwd',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  'https://evil.example/mcp',
  'http://10.0.0.1/mcp',
  'javascript:alert(1)',
  'a'.repeat(70),
  'x'.repeat(200_000),
  'Authorization',
  '{"json":"in a string"}',
];

function value(next: () => number, depth = 0): unknown {
  const r = next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  if (depth > 4 || r < 0.35) {
    return pick([
      undefined,
      null,
      true,
      false,
      0,
      -1,
      1e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
      2 ** 53 + 1,
      ...NASTY_STRINGS,
    ]);
  }
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1));
  const obj: Record<string, unknown> = {};
  const keys = [
    'ref',
    'connected',
    'patch',
    'name',
    'url',
    'auth',
    'headers',
    'secretHeaders',
    'displayName',
    '__proto__',
    'constructor',
    ...NASTY_STRINGS.slice(0, 8),
  ];
  for (let i = Math.floor(next() * 6); i > 0; i--) {
    // defineProperty, so "__proto__" becomes an own key as it would after structured clone.
    Object.defineProperty(obj, pick(keys), {
      value: value(next, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return obj;
}

const TRUSTED = { senderFrame: { url: 'app://switchboard/index.html' } };
const SENDERS = [
  TRUSTED,
  { senderFrame: { url: 'app://switchboard/index.html#/audit' } },
  { senderFrame: { url: 'https://evil.example/' } },
  { senderFrame: { url: 'app://switchboard.evil/' } },
  { senderFrame: null },
  { senderFrame: { url: '' } },
  {},
];

let tmp: TempHome;
beforeAll(async () => {
  tmp = await makeTempHome();
});
afterAll(() => tmp.cleanup());

describe('IPC fuzz', () => {
  it('answers thousands of malformed calls with envelopes: no throw, no crash, no pollution', async () => {
    const services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
    await services.projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const real = createDispatcher(createHandlers(services));
    let dispatched = 0;
    const dispatch = (c: unknown, i: unknown) => {
      dispatched++;
      return real(c, i);
    };
    registerIpc(dispatch);
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());

    const next = rng(0x5b1d);
    let trustedCalls = 0;
    for (let i = 0; i < 1500; i++) {
      const sender = SENDERS[Math.floor(next() * SENDERS.length)]!;
      const input = value(next);
      let result: unknown;
      if (next() < 0.8) {
        const channel = INVOKE_CHANNELS[Math.floor(next() * INVOKE_CHANNELS.length)]!;
        result = await handlers.get(channel)!(sender, input);
      } else {
        // Channels the preload would never send: the dispatcher must refuse them by name.
        result = await handleInvoke(sender as never, String(value(next)), input, dispatch);
      }
      if (
        sender === TRUSTED ||
        (sender as typeof TRUSTED).senderFrame?.url === 'app://switchboard/index.html#/audit'
      ) {
        trustedCalls++;
      }
      expect(result, `case ${i}`).toMatchObject({ ok: expect.any(Boolean) });
      const r = result as { ok: boolean; error?: { code: string; message: string } };
      if (!r.ok) {
        expect(typeof r.error!.code).toBe('string');
        expect(r.error!.message.length).toBeGreaterThan(0);
        expect(r.error!.message.length).toBeLessThan(2000);
      }
    }
    // Untrusted senders never reached the dispatcher; trusted ones always did.
    expect(dispatched).toBe(trustedCalls);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // The store is still readable and the seeded project still there.
    expect((await services.projects.list()).map((p) => p.name)).toContain('acme');
  });

  it('refuses untrusted frames before validation, and keeps secrets out of what it returns', async () => {
    const secret = 'sk_live_abcdefghijklmnopqrstuvwx';
    const dispatch = vi.fn(async () => ({
      ok: false as const,
      error: { code: 'UPSTREAM' as const, message: `Upstream said: Bearer ${secret}` },
    }));
    const refused = await handleInvoke(
      { senderFrame: { url: 'file:///x' } } as never,
      'projects.list',
      undefined,
      dispatch,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(dispatch).not.toHaveBeenCalled();

    const failed = await handleInvoke(TRUSTED as never, 'projects.list', undefined, dispatch);
    expect(JSON.stringify(failed)).not.toContain(secret);
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM', message: 'Upstream said: Bearer [REDACTED]' },
    });
  });

  it('a handler that returns more than its contract (e.g. a token) gets INTERNAL, not the data', async () => {
    const services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
    const handlersTable = createHandlers(services);
    const leaky = createDispatcher({
      ...handlersTable,
      'projects.list': async () =>
        (await services.projects.list()).map((p) => ({
          ...p,
          token: 'sk_live_leakleakleakleakleak',
        })),
    });
    const result = await handleInvoke(TRUSTED as never, 'projects.list', undefined, leaky);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('sk_live_leak');
  });
});
