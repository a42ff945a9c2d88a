import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeAuthStatus } from '../oauth/auth-status.js';
import { oauthStore } from '../oauth/grant-store.js';
import { createServices, type Services } from '../services.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';
import { startEventFeeds } from './event-feeds.js';

// The feeds watch real files in a temp data dir; whichever process writes them, windows hear it.
let tmp: TempHome;
let services: Services;
let stop: () => void;
const events: Array<[string, unknown]> = [];
const statusEvents = () => events.filter(([e]) => e === 'oauth.statusesChanged').length;

beforeEach(async () => {
  tmp = await makeTempHome('sb-event-feeds-');
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env, source: 'app' });
  events.length = 0;
  stop = startEventFeeds(services, (event, payload) => events.push([event, payload]));
});
afterEach(async () => {
  stop();
  await tmp.cleanup();
});

it('a sign-in status written by another process reaches windows with the statuses', async () => {
  await writeAuthStatus(tmp.dataDir, 'p1', { status: 'sign-in-needed' });
  await until(() => statusEvents() > 0);
  expect(events.find(([e]) => e === 'oauth.statusesChanged')?.[1]).toMatchObject({
    p1: { status: 'sign-in-needed' },
  });
});

it('a change to oauth.json alone (an import leaving pending, a refresh) tells windows to re-read the grant', async () => {
  // The doctor's import writes the status first and clears `pending` in oauth.json after it: a
  // window that re-read only on the status file kept "sign-in needed" for a verified grant.
  await oauthStore(tmp.dataDir).update((file) => ({
    next: {
      ...file,
      registrations: {
        p1: {
          'https://as.example/': {
            clientId: 'c1',
            kind: 'dynamic',
            hasSecret: false,
            registeredAt: new Date().toISOString(),
          },
        },
      },
    },
    result: undefined,
  }));
  await until(() => statusEvents() > 0);
  expect(statusEvents()).toBeGreaterThan(0);
});
