// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { ProjectView } from '../../../app/contract/projects-contract';
import { oauthStore, type GrantRecord } from '../../../app/oauth/grant-store';
import { inProcessWindow, type InProcessWindow } from '../../../app/testing/in-process-window';
import { OAuthPanel } from './OAuthPanel';
import type {} from '../env';

// The panel against the real handlers and services on a temp data dir
// (app/testing/in-process-window.ts). The IPC hop is an in-process call this test can hold back,
// to answer two reads out of order.
let win: InProcessWindow;
let project: ProjectView;
let holdNextGrantRead: Promise<void> | undefined;

beforeAll(async () => {
  win = await inProcessWindow('sb-oauthpanel-', {
    afterAnswer: async (channel) => {
      if (channel !== 'oauth.grant' || !holdNextGrantRead) return;
      const hold = holdNextGrantRead;
      holdNextGrantRead = undefined;
      await hold;
    },
  });
  window.switchboard = win.api;
  project = await win.services.projects.add({
    name: 'team-wiki',
    url: 'https://wiki.test/mcp',
    auth: 'oauth',
  });
});
afterEach(cleanup);
afterAll(async () => {
  await win.tmp.cleanup();
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
  oauthStore(win.tmp.dataDir).update((file) => ({
    next: { ...file, grants: { ...file.grants, [project.id]: g } },
    result: undefined,
  }));
const panelText = () => screen.getByTestId('oauth-panel').textContent ?? '';
test('an older read answering last never replaces the newer grant (an import while it was pending)', async () => {
  await writeGrant(grant(true));
  render(<OAuthPanel project={project} />);
  await waitFor(() => expect(panelText()).toContain('Sign-in needed'));

  // The import's status write: the window reads while the grant is still pending, and that
  // answer is held back; then the import commits and oauth.json's change starts a second read.
  let release!: () => void;
  holdNextGrantRead = new Promise((r) => (release = r));
  act(() => win.emit('oauth.statusesChanged', {}));
  await writeGrant(grant(false));
  act(() => win.emit('oauth.statusesChanged', {}));
  await waitFor(() => expect(panelText()).toContain('Signed in'));
  await act(async () => {
    release();
    await new Promise((r) => setTimeout(r, 50));
  });
  expect(panelText()).toContain('Signed in');
  expect(panelText()).not.toContain('Sign-in needed');
});
