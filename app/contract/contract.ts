import type { z } from 'zod';
import { appContract } from './app-contract.js';
import { projectsContract, projectsEvents } from './projects-contract.js';
import { tokensContract, tokensEvents } from './tokens-contract.js';
import { auditContract, auditEvents } from './audit-contract.js';
import { clientsContract } from './clients-contract.js';
import { settingsContract } from './settings-contract.js';
import { oauthContract, oauthEvents } from './oauth-contract.js';
import { provisioningContract, provisioningEvents } from './provisioning-contract.js';
import { consentContract, consentEvents } from './consent-contract.js';
import type { EventChannel, InvokeChannel } from './channels.js';

/** The whole IPC contract: one entry per invoke channel, one schema per push event. */
export const invokeContract = {
  ...appContract,
  ...projectsContract,
  ...tokensContract,
  ...auditContract,
  ...clientsContract,
  ...settingsContract,
  ...oauthContract,
  ...provisioningContract,
  ...consentContract,
} as const satisfies Record<InvokeChannel, { input: z.ZodType; output: z.ZodType }>;

export const eventContract = {
  ...projectsEvents,
  ...tokensEvents,
  ...auditEvents,
  ...oauthEvents,
  ...provisioningEvents,
  ...consentEvents,
} as const satisfies Record<EventChannel, z.ZodType>;

export type InputOf<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['input']>;
export type ParsedInputOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['input']>;
export type OutputOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['output']>;
export type PayloadOf<E extends EventChannel> = z.output<(typeof eventContract)[E]>;
