/**
 * Every channel name between renderer and main. zod-free on purpose: the sandboxed preload
 * imports this at runtime to build `window.switchboard`. `contract.test.ts` checks that these
 * lists equal the keys of the schemas in `contract.ts`.
 */
export const INVOKE_CHANNELS = [
  'app.info',
  'projects.list',
  'projects.get',
  'projects.add',
  'projects.edit',
  'projects.remove',
  'projects.setConnected',
  'tokens.list',
  'tokens.add',
  'tokens.mint',
  'tokens.rotate',
  'tokens.revoke',
  'tokens.remove',
  'connection.test',
  'settings.get',
  'settings.setSecretStore',
  'settings.getLaunchAtLogin',
  'settings.setLaunchAtLogin',
  'audit.query',
  'audit.pair',
  'audit.sessions',
  'audit.export',
  'clients.list',
  'clients.preview',
  'clients.install',
  'clients.uninstall',
  'doctor.findings',
  'doctor.preview',
  'doctor.fix',
  'oauth.statuses',
  'oauth.detect',
  'oauth.preview',
  'oauth.signIn',
  'oauth.cancel',
  'oauth.grant',
  'oauth.signOut',
  'provisioning.presets',
  'provisioning.status',
  'provisioning.statusAll',
  'provisioning.consentRequest',
  'provisioning.provision',
  'provisioning.cancel',
  'provisioning.reset',
  'provisioning.deleteRemote',
  'consents.list',
  'consents.revoke',
] as const;

export const EVENT_CHANNELS = [
  'projects.changed',
  'tokens.changed',
  'audit.appended',
  'oauth.progress',
  'oauth.statusesChanged',
  'provisioning.progress',
  'provisioning.changed',
  'consents.changed',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
