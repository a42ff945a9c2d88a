import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../contract/dispatch.js';
import { startEventFeeds } from '../ipc/event-feeds.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices, type Services } from '../services.js';
import { startControlPlane, type ControlPlane } from '../testing/control-plane.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// The window's calls through the real dispatcher (input and output validated) and services.
const API_KEY = `KEY_${'0a1b2c3d'.repeat(5)}`;
let tmp: TempHome;
let cp: ControlPlane;
let services: Services;
let dispatch: Dispatch;
const call = async (channel: string, input?: unknown) => {
  const r = await dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Record<string, unknown>;
};

beforeAll(() => requireKeyringSession());
beforeEach(async () => {
  tmp = await makeTempHome('sb-prov-ipc-');
  cp = await startControlPlane({ apiKey: API_KEY });
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env, source: 'app' });
  dispatch = createDispatcher(createHandlers(services));
  const project = await call('projects.add', {
    name: 'acme',
    url: cp.sharedUrl,
    auth: 'provisioned',
    provisioning: { controlPlane: cp.url },
  });
  await call('tokens.add', { project: project.id, value: API_KEY, name: 'api-key' });
});
afterEach(async () => {
  await cp.close();
  await tmp.cleanup();
});

it('consent from the window, progress events, a cancel, and the consent listed and withdrawn', async () => {
  const events: Array<[string, unknown]> = [];
  const stop = startEventFeeds(services, (event, payload) => events.push([event, payload]));
  try {
    const ask = await call('provisioning.consentRequest', { ref: 'acme' });
    expect(ask).toMatchObject({ status: 'needed', vendor: '127.0.0.1:' + new URL(cp.url).port });
    expect(JSON.stringify(ask)).not.toContain(API_KEY);

    cp.setMode('hang');
    const running = dispatch('provisioning.provision', { ref: 'acme', consent: true });
    await expect.poll(() => cp.calls.some((c) => c.path === '/v2/compute/mcp/deploy')).toBe(true);
    expect(await call('provisioning.cancel', { ref: 'acme' })).toEqual({ cancelled: true });
    const cancelled = await running;
    expect(cancelled).toMatchObject({
      ok: true,
      value: { kind: 'shared', reason: 'shared (provisioning failed: cancelled)' },
    });
    const stages = events
      .filter(([e]) => e === 'provisioning.progress')
      .map(([, p]) => (p as { stage: string }).stage);
    expect(stages).toEqual(expect.arrayContaining(['secret-lookup', 'secret-create', 'deploy']));

    cp.setMode('ok');
    const ok = await call('provisioning.provision', { ref: 'acme', consent: false });
    expect(ok).toMatchObject({ kind: 'per-tenant', url: cp.tenant.url });
    const consents = (await dispatch('consents.list', { project: 'acme' })) as {
      ok: true;
      value: Array<{ id: string; source: string; summary: string }>;
    };
    expect(consents.value).toHaveLength(1);
    expect(consents.value[0]).toMatchObject({ source: 'window' });
    expect(consents.value[0]!.summary).toContain(cp.url);
    expect(await call('provisioning.statusAll')).toMatchObject([{ kind: 'per-tenant' }]);

    // Deleting remotely before withdrawing is refused; after it, it works.
    expect(await dispatch('provisioning.deleteRemote', { ref: 'acme' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    await call('consents.revoke', { id: consents.value[0]!.id });
    expect(await call('provisioning.status', { ref: 'acme' })).toMatchObject({
      kind: 'shared',
      reason: 'shared (no consent)',
    });
    expect(await call('provisioning.deleteRemote', { ref: 'acme' })).toEqual({ deleted: true });
    expect(cp.deletedFunctions).toHaveLength(1);
    expect(cp.secrets.size).toBe(0);
    await expect
      .poll(() =>
        events.some(([e, p]) => e === 'consents.changed' && (p as unknown[]).length === 0),
      )
      .toBe(true);
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    for (const s of cp.sharedSecrets) expect(JSON.stringify(events)).not.toContain(s);
  } finally {
    stop();
  }
});
