import { z } from 'zod';
import type { AuthKind } from '../projects/project.js';

/**
 * The tray menu as data. Items carry serialisable action descriptors instead of click closures,
 * so the same menu is unit-tested in Node, mapped to a native menu in main, rendered as HTML in
 * the browser e2e target, and "clicked" by both through `runTrayAction`.
 */

const ProjectId = z.string().min(1);

/** Where "open the main window" lands: a project, its tokens, or an install preview. */
export const MainTargetSchema = z.strictObject({
  projectId: ProjectId,
  view: z.enum(['overview', 'tokens', 'install']).optional(),
  clientId: z.string().min(1).optional(),
  operation: z.enum(['install', 'uninstall']).optional(),
});
export type MainTarget = z.infer<typeof MainTargetSchema>;

export const TrayActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('connect'), projectId: ProjectId }),
  z.strictObject({ type: z.literal('disconnect'), projectId: ProjectId }),
  z.strictObject({ type: z.literal('sign-in'), projectId: ProjectId }),
  z.strictObject({ type: z.literal('sign-out'), projectId: ProjectId }),
  z.strictObject({
    type: z.literal('grant-permission'),
    projectId: ProjectId,
    scopes: z.array(z.string().min(1)).max(50).optional(),
  }),
  z.strictObject({ type: z.literal('reprovision'), projectId: ProjectId }),
  z.strictObject({ type: z.literal('test'), projectId: ProjectId }),
  z.strictObject({
    type: z.literal('open-audit'),
    projectId: ProjectId.optional(),
    sessionId: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({ type: z.literal('open-main'), target: MainTargetSchema.optional() }),
  z.strictObject({
    type: z.literal('snooze'),
    keys: z.array(z.string().min(1).max(300)).min(1).max(100),
  }),
  z.strictObject({ type: z.literal('set-launch-at-login'), enabled: z.boolean() }),
  z.strictObject({ type: z.literal('quit') }),
]);
export type TrayAction = z.infer<typeof TrayActionSchema>;

export type TrayItem =
  | { kind: 'separator'; id: string }
  | {
      kind: 'item';
      /** Stable across rebuilds: `project:<id>:disconnect`, `launch-at-login`, … */
      id: string;
      label: string;
      enabled: boolean;
      /** Present on checkbox items. */
      checked?: boolean;
      /** Absent on informational rows (status, headings). */
      action?: TrayAction;
      toolTip?: string;
    }
  | { kind: 'submenu'; id: string; label: string; enabled: boolean; items: TrayItem[] };

/** What the tray icon shows: all fine, something needs the user, or nothing connected. */
export type AggregateStatus = 'connected' | 'attention' | 'disconnected';

export type TokenStatus = 'active' | 'expiring-soon' | 'expired' | 'revoked';

/** A project's sign-in state as the OAuth part records it (`auth-status.json`). */
export type AuthState = 'signed-in' | 'refreshing' | 'sign-in-needed' | 'permission-needed';
export interface TrayAuthStatus {
  state: AuthState;
  /** For permission-needed: the scopes the server asked for. */
  scopes?: string[];
}

export type ProblemKind =
  | 'sign-in-needed'
  | 'permission-needed'
  | 'auth-failed'
  | 'token-expired'
  | 'token-revoked'
  | 'token-expiring'
  | 'reprovision-needed'
  | 'disconnected-trying'
  | 'consent-needed';

export interface TrayProblem {
  kind: ProblemKind;
  /** What happened and what to do, e.g. "Token "ci" expired — rotate it in Switchboard". */
  message: string;
  /** For permission-needed: the scopes to ask for. */
  scopes?: string[];
}

export interface TrayClient {
  id: string;
  name: string;
  installed: boolean;
}

export interface TrayProject {
  id: string;
  name: string;
  displayName: string;
  connected: boolean;
  /** How the project authenticates; decides whether "Sign in/out" is offered. */
  authKind?: AuthKind;
  /** OAuth projects: the recorded sign-in state. */
  auth?: TrayAuthStatus;
  /** Provisioned projects: `per-tenant` or `shared (<reason>)`. */
  endpoint?: string;
  problems: TrayProblem[];
  /** Running bridge sessions, by client name (e.g. { "Claude Desktop": 2 }). */
  sessions: Record<string, number>;
  /** Clients found on this machine, with whether this project is installed into each. */
  clients: TrayClient[];
}

/** One live bridge session: a "Clients" row. */
export interface TraySession {
  sessionId: string;
  projectId: string;
  /** From the client's `initialize` (`clientInfo.name`). */
  clientName: string;
  /** Requests from the client in the last 60 s. */
  callsLastMinute: number;
  /** Epoch ms of the client's last request. */
  lastCallAt?: number;
  /** Errors in this session so far. */
  errors: number;
}

/** Everything the tray menu and icon are computed from; plain data, no services. */
export interface TrayState {
  projects: TrayProject[];
  /** Live bridge sessions, across projects. */
  sessions?: TraySession[];
  launchAtLogin: boolean;
  /** Set when projects could not be read (e.g. a corrupt projects.json): said in the menu. */
  loadError?: string;
  /** Epoch ms the state was collected at: "last call 12 s ago" is relative to it. */
  now?: number;
  /** While the audit index is being built: per-client figures are incomplete. */
  indexingPercent?: number;
  /** Attention keys whose notifications are snoozed (the menu says so instead of offering it). */
  snoozed?: string[];
}

/** Depth-first search for an item by id, through submenus. */
export function findTrayItem(items: readonly TrayItem[], id: string): TrayItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    if (item.kind === 'submenu') {
      const found = findTrayItem(item.items, id);
      if (found) return found;
    }
  }
  return undefined;
}
