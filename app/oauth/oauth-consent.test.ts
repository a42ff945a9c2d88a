import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { followRedirects } from '../testing/fetch-browser-command.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { oauthStore } from './grant-store.js';
import type { SignInPlan } from './sign-in.js';

// The oauth-grant consent on the shared ledger, through the composed services (as the app and
// the CLI use them), against the real test AS. File secret store: this is about the ledger.

let tmp: TempHome;
let as: OAuthTestServer;
let services: Services;

beforeEach(async () => {
  tmp = await makeTempHome('sb-oauth-consent-');
  as = await startOAuthTestServer();
  services = createServices({
    dataDir: tmp.dataDir,
    env: { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' },
    source: 'app',
  });
  await services.projects.add({ name: 'acme', url: as.mcpUrl, auth: 'oauth' });
});
afterEach(async () => {
  await as.close();
  await tmp.cleanup();
});

it('asks once per exact request, again when the scopes change, and withdrawing the consent signs out', async () => {
  const asked: SignInPlan[] = [];
  const changed: string[][] = [];
  const signIn = (scopes?: string[]) =>
    services.oauth.signIn('acme', {
      ...(scopes ? { scopes } : {}),
      source: 'window',
      confirm: async (plan) => {
        asked.push(plan);
        changed.push((await services.oauth.previewOf(plan)).changed);
        return true;
      },
      open: followRedirects,
    });

  const preview = await services.oauth.preview('acme');
  expect(preview).toMatchObject({
    project: 'acme',
    serverUrl: as.mcpUrl,
    resource: as.mcpUrl,
    issuer: as.issuer,
    client: { kind: 'dynamic' },
    fullScope: true,
    sharedWith: [],
    storage: 'file',
    consent: 'needed',
  });
  expect(preview.scopes.map((s) => s.source)).toEqual([
    'scopes_supported',
    'scopes_supported',
    'scopes_supported',
  ]);

  await signIn();
  await signIn();
  expect(asked).toHaveLength(1);
  const [record] = await services.consents.forProject((await services.projects.get('acme')).id);
  expect(record).toMatchObject({
    kind: 'oauth-grant',
    serverUrl: as.mcpUrl,
    resource: as.mcpUrl,
    issuer: as.issuer,
    clientId: 'dynamic',
    scopes: ['mcp:admin', 'mcp:read', 'mcp:write'],
    source: 'window',
  });

  await signIn(['mcp:read']);
  expect(asked).toHaveLength(2);
  expect(changed).toEqual([[], ['scopes']]);

  // Withdrawing (Settings → Consents, `consent revoke`) runs the registered handler: sign out.
  const current = (await services.consents.list())[0]!;
  await services.consents.revoke(current.id, { source: 'window' });
  expect(as.revocations.map((r) => r.kind)).toEqual(['refresh_token', 'access_token']);
  const projectId = (await services.projects.get('acme')).id;
  expect((await oauthStore(tmp.dataDir).read()).grants[projectId]).toBeUndefined();
  expect(await services.consents.list()).toEqual([]);
  expect(await services.oauth.grant('acme')).toBeNull();
  expect((await services.oauth.preview('acme')).consent).toBe('needed');
});

it('detects an OAuth server from its 401 and says why a plain one is not', async () => {
  expect(await services.oauth.detect(as.mcpUrl)).toMatchObject({
    oauth: true,
    issuer: as.issuer,
    resource: as.mcpUrl,
    reason: '401 with resource_metadata',
  });
  const plain = await services.oauth.detect(`${as.issuer}nothing-here`);
  expect(plain.oauth).toBe(false);
  await expect(services.oauth.detect('ftp://x')).rejects.toThrow(/https/);
});
