// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { ProjectView } from '../../../app/contract/projects-contract';
import { createDesktopApi } from '../../../app/contract/desktop-api';
import { createDispatcher } from '../../../app/contract/dispatch';
import { createHandlers } from '../../../app/ipc/handlers';
import { oauthStore, type GrantRecord } from '../../../app/oauth/grant-store';
import { createServices, type Services } from '../../../app/services';
import { makeTempHome, type TempHome } from '../../../app/testing/temp-home';
import { InsecureFileStore } from '../../../app/vault/file-store';
import { OAuthPanel } from './OAuthPanel';
import type {} from '../env';

// The panel against the real handlers and services on a temp data dir (as TokenPanel.test.tsx;
// jsdom runs outside the keyring session, so secrets go to the explicit file store). The IPC hop
// is an in-process call this test can hold back, to answer two reads out of order.
let tmp: TempHome;
let services: Services;
let project: ProjectView;
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let holdNextGrantRead: Promise<void> | undefined;

beforeAll(async () => {
  tmp = await makeTempHome('sb-oauthpanel-');
  services = createServices({
    dataDir: tmp.dataDir,
    env: tmp.env,
    secrets: new InsecureFileStore(tmp.dataDir),
  });
  const dispatch = createDispatcher(createHandlers(services));
  window.switchboard = createDesktopApi({
    invoke: async (channel, input) => {
      const answer = await dispatch(channel, input);
      const hold = channel === 'oauth.grant' ? holdNextGrantRead : undefined;
      if (hold) {
        holdNextGrantRead = undefined;
        await hold;
      }
      return answer;
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
  project = await services.projects.add({
    name: 'team-wiki',
    url: 'https://wiki.test/mcp',
    auth: 'oauth',
  });
});
afterEach(cleanup);
afterAll(async () => {
  await tmp.cleanup();
});

const grant = (pending: boolean): GrantRecord => ({
  issuer: 'https://as.test/',
  authorizationServerUrl: 'https://as.test/',
  metadata: {
    issuer: 'https://as.test/',
    authorization_endpoint: 'https://as.test/authorize',
    token_endpoint: 'https://as.test/token',
    response_types_supported: ['code'],
  },
  resource: 'https://wiki.test/mcp',
  clientId: 'client-1',
  clientKind: 'dynamic',
  scopes: ['mcp:read'],
  grantedAt: new Date().toISOString(),
  issuedAt: new Date().toISOString(),
  accessExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  refreshPresent: true,
  generation: 1,
  ...(pending
    ? {
        pending: {
          from: 'mcp-remote' as const,
          hash: 'h',
          project: 'team-wiki',
          pid: process.pid,
          since: new Date().toISOString(),
          generation: 1,
        },
      }
    : { imported: { from: 'mcp-remote' as const, hash: 'h', at: new Date().toISOString() } }),
});
const writeGrant = (g: GrantRecord) =>
  oauthStore(tmp.dataDir).update((file) => ({
    next: { ...file, grants: { ...file.grants, [project.id]: g } },
    result: undefined,
  }));
const panelText = () => screen.getByTestId('oauth-panel').textContent ?? '';
const emit = (channel: string) => {
  for (const l of listeners.get(channel) ?? []) l({});
};

test('an older read answering last never replaces the newer grant (an import while it was pending)', async () => {
  await writeGrant(grant(true));
  render(<OAuthPanel project={project} />);
  await waitFor(() => expect(panelText()).toContain('Sign-in needed'));

  // The import's status write: the window reads while the grant is still pending, and that
  // answer is held back; then the import commits and oauth.json's change starts a second read.
  let release!: () => void;
  holdNextGrantRead = new Promise((r) => (release = r));
  act(() => emit('oauth.statusesChanged'));
  await writeGrant(grant(false));
  act(() => emit('oauth.statusesChanged'));
  await waitFor(() => expect(panelText()).toContain('Signed in'));
  await act(async () => {
    release();
    await new Promise((r) => setTimeout(r, 50));
  });
  expect(panelText()).toContain('Signed in');
  expect(panelText()).not.toContain('Sign-in needed');
});
