import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from './channels.js';
import { eventContract, invokeContract } from './contract.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { createClient, createDesktopApi, type ContractTransport } from './desktop-api.js';
import { SwitchboardError } from '../shared/errors.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices } from '../services.js';
import { makeTempHome } from '../testing/temp-home.js';

const project = {
  id: 'prj_abcdefghij12',
  name: 'acme',
  displayName: 'Acme',
  url: 'https://mcp.acme.test/mcp',
  auth: 'none' as const,
  headers: {},
  secretHeaders: [],
  connected: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const h = {} as Record<string, unknown>;
  for (const c of INVOKE_CHANNELS) h[c] = () => project;
  h['projects.list'] = () => [project];
  h['app.info'] = () => ({ name: 'Switchboard', version: '1', dataDir: '/x', platform: 'linux' });
  return { ...(h as Handlers), ...overrides };
}

describe('IPC contract', () => {
  it('lists exactly the channels that have schemas (the preload builds the API from the list)', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual(Object.keys(invokeContract).sort());
    expect([...EVENT_CHANNELS].sort()).toEqual(Object.keys(eventContract).sort());
  });

  it('rejects an unknown channel with a typed error, without throwing', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    for (const channel of [
      'nope',
      'projects.list2',
      '__proto__',
      'constructor',
      42,
      null,
      undefined,
    ]) {
      const result = await dispatch(channel, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('rejects malformed input with VALIDATION and names the field', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    const bad = await dispatch('projects.get', { ref: 7 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(bad.ok ? '' : bad.error.message).toContain('ref');
    expect(await dispatch('projects.setConnected', { ref: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await dispatch('projects.list', { extra: true })).toMatchObject({ ok: false });
    expect(await dispatch('projects.get', { ref: 'a', evil: 1 })).toMatchObject({ ok: false });
  });

  it('turns a thrown error into an envelope that keeps its code', async () => {
    const dispatch = createDispatcher(
      fakeHandlers({
        'projects.get': () => {
          throw new SwitchboardError('NOT_FOUND', 'No project "x".', { ref: 'x' });
        },
      }),
    );
    expect(await dispatch('projects.get', { ref: 'x' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No project "x".', details: { ref: 'x' } },
    });
  });

  it('refuses a result outside the contract (a stray secret field never reaches a window)', async () => {
    const dispatch = createDispatcher(
      fakeHandlers({ 'projects.get': () => ({ ...project, token: 'sekrit' }) as never }),
    );
    const result = await dispatch('projects.get', { ref: 'acme' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('sekrit');
  });

  it('survives a fuzz of malformed calls without a crash', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    const values: unknown[] = [
      undefined,
      null,
      0,
      -1,
      NaN,
      '',
      'x'.repeat(10_000),
      [],
      {},
      { ref: null },
      { ref: '' },
      { ref: 'a', connected: 'yes' },
      { __proto__: { ref: 'a' } },
      Object.create(null),
      { name: 1, url: {} },
      [[[[]]]],
      new Date(),
      () => 1,
      Symbol('s'),
      BigInt(1),
    ];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const channel =
        rand() < 0.8 ? INVOKE_CHANNELS[Math.floor(rand() * INVOKE_CHANNELS.length)] : 'x' + i;
      const input = values[Math.floor(rand() * values.length)];
      const result = await dispatch(channel, input);
      expect(typeof result.ok).toBe('boolean');
    }
  });
});

describe('desktop API over a transport', () => {
  it('exposes one method per channel, returns values and throws real Errors with a code', async () => {
    const tmp = await makeTempHome();
    try {
      const services = createServices({ dataDir: tmp.dataDir });
      const dispatch = createDispatcher(createHandlers(services));
      const listeners = new Set<(p: unknown) => void>();
      const transport: ContractTransport = {
        invoke: (channel, input) => dispatch(channel, input),
        subscribe: (_event, l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
      const raw = createDesktopApi(transport);
      const domains = [...new Set(INVOKE_CHANNELS.map((c) => c.split('.')[0]!))];
      expect(Object.keys(raw).sort()).toEqual([...domains, 'events'].sort());
      for (const c of INVOKE_CHANNELS) {
        const [d, m] = c.split('.') as [string, string];
        expect(typeof (raw as unknown as Record<string, Record<string, unknown>>)[d]![m]).toBe(
          'function',
        );
      }
      expect(raw).not.toHaveProperty('invoke');
      const client = createClient(raw);
      expect(await client.projects.list()).toEqual([]);
      const created = await client.projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
      expect(created.connected).toBe(true);
      const err = await client.projects.get({ ref: 'missing' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SwitchboardError);
      expect((err as SwitchboardError).code).toBe('NOT_FOUND');
      const seen: unknown[] = [];
      const off = client.events.projectsChanged((p) => seen.push(p));
      listeners.forEach((l) => l([created]));
      off();
      listeners.forEach((l) => l([]));
      expect(seen).toEqual([[created]]);
    } finally {
      await tmp.cleanup();
    }
  });
});
