import type { TrayProject, TrayState } from '../tray-model.js';

/** A fixed clock for the named states, so "last call 2 min ago" is stable in tests and shots. */
export const STATE_NOW = Date.parse('2026-12-01T12:00:00.000Z');

export function trayProject(overrides: Partial<TrayProject> & { id: string }): TrayProject {
  return {
    name: overrides.id,
    displayName: overrides.id,
    connected: true,
    authKind: 'bearer',
    problems: [],
    sessions: {},
    clients: [],
    ...overrides,
  };
}

const acme = (o: Partial<TrayProject> = {}) =>
  trayProject({
    id: 'prj_acme',
    name: 'acme',
    displayName: 'Acme prod',
    clients: [
      { id: 'claude-desktop', name: 'Claude Desktop', installed: true },
      { id: 'cursor', name: 'Cursor', installed: false },
    ],
    ...o,
  });
const beta = (o: Partial<TrayProject> = {}) =>
  trayProject({ id: 'prj_beta', name: 'beta', displayName: 'Beta', ...o });

/**
 * The tray states the issue names, as model inputs: the template's unit tests check each, and
 * the browser e2e target renders each from the same template and screenshots it.
 */
export const TRAY_STATES = {
  'no-projects': { projects: [], sessions: [], launchAtLogin: false, now: STATE_NOW },
  'all-fine': {
    launchAtLogin: true,
    now: STATE_NOW,
    projects: [acme({ sessions: { 'Claude Desktop': 1 } }), beta()],
    sessions: [
      {
        sessionId: 's1',
        projectId: 'prj_acme',
        clientName: 'Claude Desktop',
        callsLastMinute: 4,
        lastCallAt: STATE_NOW - 5_000,
        errors: 0,
      },
    ],
  },
  'needs-sign-in': {
    launchAtLogin: false,
    now: STATE_NOW,
    projects: [
      acme({
        authKind: 'oauth',
        auth: { state: 'sign-in-needed' },
        problems: [
          { kind: 'sign-in-needed', message: 'Acme prod: sign-in needed — sign in again.' },
        ],
      }),
      beta(),
    ],
    sessions: [],
  },
  'token-expiring': {
    launchAtLogin: false,
    now: STATE_NOW,
    projects: [
      acme(),
      beta({
        problems: [
          {
            kind: 'token-expiring',
            message: 'Token "ci" of Beta expires soon — rotate it in Switchboard.',
          },
        ],
      }),
    ],
    sessions: [],
  },
  'disconnected-client-trying': {
    launchAtLogin: false,
    now: STATE_NOW,
    projects: [
      acme({
        connected: false,
        sessions: { Cursor: 1 },
        problems: [
          {
            kind: 'disconnected-trying',
            message:
              'Cursor tried Acme prod 3 times while it is disconnected — reconnect it if that is wanted.',
          },
        ],
      }),
      beta({ connected: false }),
    ],
    sessions: [
      {
        sessionId: 's9',
        projectId: 'prj_acme',
        clientName: 'Cursor',
        callsLastMinute: 3,
        lastCallAt: STATE_NOW - 20_000,
        errors: 3,
      },
    ],
  },
  'three-clients': {
    launchAtLogin: false,
    now: STATE_NOW,
    projects: [
      acme({ sessions: { 'Claude Desktop': 1, Cursor: 1 } }),
      beta({ sessions: { Zed: 1 }, authKind: 'provisioned', endpoint: 'per-tenant' }),
    ],
    sessions: [
      {
        sessionId: 's1',
        projectId: 'prj_acme',
        clientName: 'Claude Desktop',
        callsLastMinute: 12,
        lastCallAt: STATE_NOW - 2_000,
        errors: 0,
      },
      {
        sessionId: 's2',
        projectId: 'prj_acme',
        clientName: 'Cursor',
        callsLastMinute: 0,
        lastCallAt: STATE_NOW - 180_000,
        errors: 1,
      },
      {
        sessionId: 's3',
        projectId: 'prj_beta',
        clientName: 'Zed',
        callsLastMinute: 0,
        errors: 0,
      },
    ],
  },
} satisfies Record<string, TrayState>;

export type TrayStateName = keyof typeof TRAY_STATES;
