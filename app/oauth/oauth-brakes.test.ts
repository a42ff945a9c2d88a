import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsentService } from '../consent/consent-service.js';
import { ProjectsService } from '../projects/projects-service.js';
import type { Project } from '../projects/project.js';
import { followRedirects } from '../testing/fetch-browser-command.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { fingerprint } from '../tokens/fingerprint.js';
import { openSecretStore } from '../vault/open-secret-store.js';
import { readAuthStatus } from './auth-status.js';
import { oauthStore, readStoredTokens } from './grant-store.js';
import { OAuthSession, TOKEN_STORM_LIMIT } from './oauth-session.js';
import { SIGN_IN_STORM_LIMIT, SignInService } from './sign-in.js';

// The storm brakes, in process against the real test AS. The secret store is the explicit file
// store (these tests are about counting, not about the keychain, which the e2e tests use).

let tmp: TempHome;
let as: OAuthTestServer;
let project: Project;
let signIns: SignInService;

beforeEach(async () => {
  tmp = await makeTempHome('sb-oauth-brakes-');
  as = await startOAuthTestServer();
  project = await new ProjectsService(tmp.dataDir).add({
    name: 'acme',
    url: as.mcpUrl,
    auth: 'oauth',
  });
  signIns = new SignInService({
    dataDir: tmp.dataDir,
    secrets: async () => openSecretStore(tmp.dataDir, 'file'),
    consents: new ConsentService(tmp.dataDir),
  });
});
afterEach(async () => {
  await as.close();
  await tmp.cleanup();
});

describe('storm brakes', () => {
  it(`stops opening the browser after ${SIGN_IN_STORM_LIMIT} unfinished sign-ins within 30 s`, async () => {
    let opened = 0;
    const attempt = () =>
      signIns.signIn(project, {
        source: 'cli',
        confirm: async () => true,
        open: async () => void opened++,
        timeoutMs: 50,
      });
    for (let i = 0; i < SIGN_IN_STORM_LIMIT; i++) {
      await expect(attempt()).rejects.toThrow(/timed out/);
    }
    await expect(attempt()).rejects.toThrow(
      /did not finish; Switchboard stopped opening the browser/,
    );
    expect(opened).toBe(SIGN_IN_STORM_LIMIT);
  });

  it(`stops refreshing after ${TOKEN_STORM_LIMIT} rejected tokens within 30 s and records sign-in needed`, async () => {
    await signIns.signIn(project, {
      source: 'cli',
      confirm: async () => true,
      open: followRedirects,
    });
    const secrets = openSecretStore(tmp.dataDir, 'file');
    const session = new OAuthSession({
      dataDir: tmp.dataDir,
      project,
      secrets: async () => secrets,
    });
    try {
      // A server that rejects every token it issues: each 401 refreshes, until the brake.
      const answers: boolean[] = [];
      for (let i = 0; i < TOKEN_STORM_LIMIT; i++) {
        const current = await readStoredTokens(secrets, project.id);
        answers.push(
          await session.rejected({ status: 401, fingerprint: fingerprint(current!.access_token) }),
        );
      }
      expect(answers.slice(0, -1).every(Boolean)).toBe(true);
      expect(answers.at(-1)).toBe(false);
      expect(as.refreshRequests).toBe(TOKEN_STORM_LIMIT - 1);
      expect(as.reuseDetections).toBe(0);
      expect((await oauthStore(tmp.dataDir).read()).grants[project.id]?.needsSignIn).toBe(true);
      expect(await readAuthStatus(tmp.dataDir, project.id)).toMatchObject({
        status: 'sign-in-needed',
      });
      const now = await session.current();
      expect(now).toMatchObject({ ok: false, reason: 'login-required' });
    } finally {
      session.close();
    }
  });

  it('a 401 for a token another process already replaced is retried without a refresh', async () => {
    await signIns.signIn(project, {
      source: 'cli',
      confirm: async () => true,
      open: followRedirects,
    });
    const secrets = openSecretStore(tmp.dataDir, 'file');
    const session = new OAuthSession({
      dataDir: tmp.dataDir,
      project,
      secrets: async () => secrets,
    });
    try {
      expect(await session.rejected({ status: 401, fingerprint: 'aaaaaaaaaaaa' })).toBe(true);
      expect(as.refreshRequests).toBe(0);
      // A 403 that is not insufficient_scope is not ours to fix.
      expect(
        await session.rejected({ status: 403, wwwAuthenticate: 'Bearer error="forbidden"' }),
      ).toBe(false);
    } finally {
      session.close();
    }
  });

  it('a short-lived token is used until it is due, then refreshed — never treated as a lost sign-in', async () => {
    as.setAccessTtl(4);
    await signIns.signIn(project, {
      source: 'cli',
      confirm: async () => true,
      open: followRedirects,
    });
    const secrets = openSecretStore(tmp.dataDir, 'file');
    const session = new OAuthSession({
      dataDir: tmp.dataDir,
      project,
      secrets: async () => secrets,
    });
    try {
      expect(await session.current()).toMatchObject({ ok: true });
      expect(as.refreshRequests).toBe(0);
      expect(
        (await oauthStore(tmp.dataDir).read()).grants[project.id]?.needsSignIn,
      ).toBeUndefined();
      await new Promise((r) => setTimeout(r, 3100));
      expect(await session.current()).toMatchObject({ ok: true });
      expect(as.refreshRequests).toBe(1);
    } finally {
      session.close();
    }
  });
});
