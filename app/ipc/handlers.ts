import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';
import { APP_VERSION } from '../version.js';

/** Binds every contract channel to a service call. Main and the e2e host use this same table. */
export function createHandlers(services: Services): Handlers {
  const { projects } = services;
  return {
    'app.info': () => ({
      name: 'Switchboard',
      version: APP_VERSION,
      dataDir: services.dataDir,
      platform: process.platform,
    }),
    'projects.list': () => projects.list(),
    'projects.get': ({ ref }) => projects.get(ref),
    'projects.add': (input) => projects.add(input),
    'projects.edit': ({ ref, patch }) => projects.edit(ref, patch),
    'projects.remove': ({ ref }) => projects.remove(ref),
    'projects.setConnected': ({ ref, connected }) => projects.setConnected(ref, connected),
  };
}
