import { z } from 'zod';

/**
 * The tray menu as data. Items carry serialisable action descriptors instead of click closures,
 * so the same menu is unit-tested in Node, mapped to a native menu in main, and "clicked" by the
 * e2e harness through `runTrayAction`.
 */

export const TrayActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('connect'), projectId: z.string().min(1) }),
  z.strictObject({ type: z.literal('disconnect'), projectId: z.string().min(1) }),
  z.strictObject({
    type: z.literal('install'),
    projectId: z.string().min(1),
    clientId: z.string().min(1),
  }),
  z.strictObject({
    type: z.literal('uninstall'),
    projectId: z.string().min(1),
    clientId: z.string().min(1),
  }),
  z.strictObject({ type: z.literal('test'), projectId: z.string().min(1) }),
  z.strictObject({ type: z.literal('open-audit'), projectId: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('open-main') }),
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
      /** Absent on informational rows (status, session counts). */
      action?: TrayAction;
      toolTip?: string;
    }
  | { kind: 'submenu'; id: string; label: string; enabled: boolean; items: TrayItem[] };

/** What the tray icon shows: every project connected, something needs attention, or nothing on. */
export type AggregateStatus = 'connected' | 'attention' | 'disconnected';

export type TokenStatus = 'active' | 'expiring-soon' | 'expired' | 'revoked';

export type ProblemKind =
  'token-expiring' | 'token-expired' | 'token-revoked' | 'auth-failed' | 'consent-needed';

export interface TrayProblem {
  kind: ProblemKind;
  /** What happened and what to do, e.g. "Token "ci" expired — rotate it in Switchboard". */
  message: string;
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
  problems: TrayProblem[];
  /** Running bridge sessions, by client name (e.g. { "Claude Desktop": 2 }). */
  sessions: Record<string, number>;
  /** Clients found on this machine, with whether this project is installed into each. */
  clients: TrayClient[];
}

/** Everything the tray menu and icon are computed from; plain data, no services. */
export interface TrayState {
  projects: TrayProject[];
  launchAtLogin: boolean;
  /** Set when projects could not be read (e.g. a corrupt projects.json): said in the menu. */
  loadError?: string;
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
