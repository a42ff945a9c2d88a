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
] as const;

export const EVENT_CHANNELS = ['projects.changed'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
