import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';
import { provisioningConsentText } from './consent-text.js';
import { PROVISIONING_PRESETS } from './presets.js';

type ProvisioningChannels =
  | 'provisioning.presets'
  | 'provisioning.status'
  | 'provisioning.statusAll'
  | 'provisioning.consentRequest'
  | 'provisioning.provision'
  | 'provisioning.cancel'
  | 'provisioning.reset'
  | 'provisioning.deleteRemote';

/** The window's per-tenant endpoint calls; a consent given here is recorded as from "window". */
export function provisioningHandlers(services: Services): Pick<Handlers, ProvisioningChannels> {
  const { provisioning } = services;
  return {
    'provisioning.presets': () =>
      PROVISIONING_PRESETS.map((p) => ({ ...p, provisioning: { ...p.provisioning } })),
    'provisioning.status': ({ ref }) => provisioning.status(ref),
    'provisioning.statusAll': () => provisioning.statusAll(),
    'provisioning.consentRequest': async ({ ref }) => {
      const r = await provisioning.consentRequest(ref);
      return {
        projectId: r.subject.projectId,
        projectName: r.subject.projectName,
        vendor: r.vendor,
        controlPlane: r.controlPlane,
        sharedUrl: r.sharedUrl,
        keyFingerprint: r.keyFingerprint,
        status: r.status,
        changed: r.changed,
        text: provisioningConsentText({ ...r, projectName: r.subject.projectName }),
      };
    },
    'provisioning.provision': async ({ ref, consent, reset }) => {
      if (reset) await provisioning.reset(ref);
      return provisioning.provision(ref, consent ? { consentGiven: 'window' } : {});
    },
    'provisioning.cancel': async ({ ref }) => ({ cancelled: await provisioning.cancel(ref) }),
    'provisioning.reset': ({ ref }) => provisioning.reset(ref),
    'provisioning.deleteRemote': async ({ ref }) => {
      await provisioning.deleteRemote(ref);
      return { deleted: true as const };
    },
  };
}
