import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';
import { APP_VERSION } from '../version.js';
import { addFromPreset } from '../projects/preset-apply.js';
import { listPresets, presetView } from '../projects/presets.js';
import { tokensHandlers } from '../tokens/tokens-handlers.js';
import { auditHandlers } from '../audit/audit-handlers.js';
import { clientsHandlers } from '../clients/clients-handlers.js';
import { settingsHandlers, type HostPorts } from '../settings/settings-handlers.js';
import { oauthHandlers } from '../oauth/oauth-handlers.js';
import { provisioningHandlers } from '../provisioning/provisioning-handlers.js';
import { consentHandlers } from '../consent/consent-handlers.js';

/**
 * Binds every contract channel to a service call. Main and the e2e host use this same table;
 * `ports` carries what only the host can do (launch at login).
 */
export function createHandlers(services: Services, ports: HostPorts = {}): Handlers {
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
    'projects.presets': () => listPresets().map(presetView),
    'projects.addFromPreset': async ({ issuer, ...input }) =>
      (
        await addFromPreset(services, {
          ...input,
          ...(issuer ? { issuer: { kind: 'gateway', ...issuer } } : {}),
        })
      ).project,
    'projects.edit': ({ ref, patch }) => projects.edit(ref, patch),
    'projects.remove': async ({ ref }) => {
      // A removed project takes its secrets with it.
      const p = await projects.get(ref);
      await services.oauth.purge(p);
      await services.provisioning.forgetProject(p.id);
      await services.consents.forgetProject(p.id, 'full-scope-provisioning');
      await services.tokens.removeAllFor(p.id);
      return projects.remove(p.id);
    },
    'projects.setConnected': ({ ref, connected }) => projects.setConnected(ref, connected),
    ...tokensHandlers(services),
    ...auditHandlers(services),
    ...clientsHandlers(services),
    ...settingsHandlers(services, ports),
    ...oauthHandlers(services, ports.openExternal),
    ...provisioningHandlers(services),
    ...consentHandlers(services),
  };
}
