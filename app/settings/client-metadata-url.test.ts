import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDispatcher } from '../contract/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices } from '../services.js';
import { oauthCliHarness, type OAuthCliHarness } from '../testing/oauth-cli-harness.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 13: the Client ID Metadata Document URL is a setting (settings.json), set with
// `switchboard settings client-metadata-url` or the Settings window, and the env var still wins.
// The real CLI and a real AS that advertises client_id_metadata_document_supported; `login`
// without --consent on a pipe prints the consent plan (the client it will use) and stops there.
const SAVED = 'https://switchboard.example/oauth/client.json';
const FROM_ENV = 'https://managed.example/switchboard-client.json';

let tmp: TempHome;
let as: OAuthTestServer;
let h: OAuthCliHarness;

beforeEach(async () => {
  tmp = await makeTempHome('sb-cimd-setting-');
  h = oauthCliHarness(tmp);
  // The plan is all this test reaches: no token is stored, so the file store is enough.
  h.env.SWITCHBOARD_SECRET_STORE = 'file';
  as = await startOAuthTestServer({ clientMetadataDocuments: true });
  await h.ok(['project', 'add', 'acme', '--url', as.mcpUrl, '--auth', 'oauth']);
});
afterEach(async () => {
  await as?.close();
  await tmp.cleanup();
});

async function plannedClient(env: NodeJS.ProcessEnv = h.env): Promise<string> {
  const saved = { ...h.env };
  Object.assign(h.env, env);
  try {
    const r = await h.cli(['login', 'acme']);
    expect(r.code).toBe(2);
    return /client {7}(.*)/.exec(r.stderr)?.[1] ?? `(no client line in: ${r.stderr})`;
  } finally {
    for (const k of Object.keys(h.env)) delete h.env[k];
    Object.assign(h.env, saved);
  }
}

it('the saved URL is the client id of the next sign-in; --clear goes back to dynamic registration', async () => {
  expect(await plannedClient()).toBe('registers itself dynamically');
  const set = await h.ok(['settings', 'client-metadata-url', SAVED]);
  expect(set.stdout).toContain(SAVED);
  const settings = JSON.parse(await fs.readFile(path.join(tmp.dataDir, 'settings.json'), 'utf8'));
  expect(settings.oauthClientMetadataUrl).toBe(SAVED);
  expect(JSON.parse((await h.ok(['settings', 'show', '--json'])).stdout)).toMatchObject({
    clientMetadataUrl: SAVED,
    clientMetadataUrlSource: 'setting',
  });
  expect(await plannedClient()).toBe(`${SAVED} (client metadata document)`);
  // Nothing was registered or opened for a plan.
  expect(as.registrations).toHaveLength(0);
  expect(await h.browserOpens()).toHaveLength(0);

  await h.ok(['settings', 'client-metadata-url', '--clear']);
  expect(
    JSON.parse(await fs.readFile(path.join(tmp.dataDir, 'settings.json'), 'utf8')),
  ).not.toHaveProperty('oauthClientMetadataUrl');
  expect(await plannedClient()).toBe('registers itself dynamically');
});

it('a bad URL is refused with what to give, and the saved setting is kept', async () => {
  await h.ok(['settings', 'client-metadata-url', SAVED]);
  const before = await fs.readFile(path.join(tmp.dataDir, 'settings.json'), 'utf8');
  for (const bad of [
    'http://switchboard.example/client.json',
    'https://switchboard.example',
    'nope',
  ]) {
    const r = await h.cli(['settings', 'client-metadata-url', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/https|not a URL/);
  }
  expect(await fs.readFile(path.join(tmp.dataDir, 'settings.json'), 'utf8')).toBe(before);
});

it('SWITCHBOARD_OAUTH_CLIENT_METADATA_URL overrides the setting and locks it, in the CLI and the window contract', async () => {
  await h.ok(['settings', 'client-metadata-url', SAVED]);
  const env = { SWITCHBOARD_OAUTH_CLIENT_METADATA_URL: FROM_ENV };
  expect(await plannedClient(env)).toBe(`${FROM_ENV} (client metadata document)`);

  const dispatch = createDispatcher(
    createHandlers(createServices({ dataDir: tmp.dataDir, env: { ...h.env, ...env } })),
  );
  expect(await dispatch('settings.get', undefined)).toMatchObject({
    ok: true,
    value: { clientMetadataUrl: FROM_ENV, clientMetadataUrlOverride: true },
  });
  const refused = await dispatch('settings.setClientMetadataUrl', { url: null });
  expect(refused).toMatchObject({ ok: false });
  expect(JSON.stringify(refused)).toContain('SWITCHBOARD_OAUTH_CLIENT_METADATA_URL');
  expect(
    JSON.parse(await fs.readFile(path.join(tmp.dataDir, 'settings.json'), 'utf8'))
      .oauthClientMetadataUrl,
  ).toBe(SAVED);

  // Without the variable, the window sets and clears the saved URL through the same contract.
  const own = createDispatcher(
    createHandlers(createServices({ dataDir: tmp.dataDir, env: h.env })),
  );
  expect(await own('settings.setClientMetadataUrl', { url: FROM_ENV })).toMatchObject({
    ok: true,
    value: { clientMetadataUrl: FROM_ENV },
  });
  expect(
    await own('settings.setClientMetadataUrl', { url: 'ftp://x.example/c.json' }),
  ).toMatchObject({ ok: false });
});
