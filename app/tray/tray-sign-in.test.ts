import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { runTrayAction, type ShellHooks } from './run-tray-action.js';
import { trayActionDepsFrom } from './tray-sources.js';

// The tray's Sign in never opens a browser itself: it runs discovery against the real test AS
// and then takes the user to the window, where the consent dialog comes before any browser.

let tmp: TempHome;
let as: OAuthTestServer;
let services: Services;
const calls: string[] = [];
const shell = new Proxy({} as ShellHooks, {
  get: (_t, name: string) => (arg?: unknown) => {
    calls.push(`${name}:${JSON.stringify(arg ?? null)}`);
  },
});

beforeEach(async () => {
  calls.length = 0;
  tmp = await makeTempHome('sb-tray-signin-');
  as = await startOAuthTestServer();
  services = createServices({
    dataDir: tmp.dataDir,
    env: { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' },
    source: 'app',
  });
});
afterEach(async () => {
  await as.close();
  await tmp.cleanup();
});

it('Sign in discovers the server, then opens the project in the window; no browser', async () => {
  const project = await services.projects.add({ name: 'acme', url: as.mcpUrl, auth: 'oauth' });
  const result = await runTrayAction(
    { type: 'sign-in', projectId: project.id },
    trayActionDepsFrom(services, shell),
  );
  expect(result).toEqual({ ok: true, message: 'Confirm the sign-in to acme in its window.' });
  expect(calls).toEqual([`openMainWindow:${JSON.stringify({ projectId: project.id })}`]);
  expect(calls.some((c) => c.startsWith('openExternal'))).toBe(false);
});

it('a server that cannot be reached fails in the tray’s dialog and opens nothing', async () => {
  const project = await services.projects.add({
    name: 'plain',
    // Port 9 (discard) has no listener here: the connection is refused at once.
    url: 'http://127.0.0.1:9/mcp',
    auth: 'oauth',
  });
  const result = await runTrayAction(
    { type: 'sign-in', projectId: project.id },
    trayActionDepsFrom(services, shell),
  );
  expect(result.ok).toBe(false);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatch(/^showFailure:.*Could not start the sign-in.*OAuth discovery/);
});
