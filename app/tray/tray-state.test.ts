import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { startMcpTestServer } from '../testing/mcp-test-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  clickTrayItem,
  runTrayAction,
  type ShellHooks,
  type TrayFailure,
} from './run-tray-action.js';
import { buildTrayTemplate } from './tray-template.js';
import { collectTrayState } from './tray-state.js';
import { trayActionDepsFrom, traySourcesFrom } from './tray-sources.js';
import { InsecureFileStore } from '../vault/file-store.js';
import { writeAuthStatus } from '../oauth/auth-status.js';
import type { AuthKind, Project } from '../projects/project.js';

let tmp: TempHome;
let services: Services;

beforeEach(async () => {
  tmp = await makeTempHome();
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
});
afterEach(() => tmp.cleanup());

function recordingShell() {
  const calls: string[] = [];
  const notices: { title: string; body: string }[] = [];
  const failures: TrayFailure[] = [];
  const shell: ShellHooks = {
    openMainWindow: (t) =>
      void calls.push(
        t ? `main:${t.projectId}:${t.view ?? ''}:${t.clientId ?? ''}:${t.operation ?? ''}` : 'main',
      ),
    showFailure: (f) => void failures.push(f),
    openAuditWindow: (f) => void calls.push(`audit:${f.projectId ?? '*'}`),
    setLaunchAtLogin: (on) => void calls.push(`login:${on}`),
    notify: (n) => void notices.push(n),
    quit: () => void calls.push('quit'),
  };
  return { shell, calls, notices, failures };
}

/**
 * Services over the explicit insecure file store, standing in for the keychain (no Secret
 * Service in unit tests); token health and endpoints are computed by the real services.
 */
function withFileSecrets(): Services {
  return createServices({
    dataDir: tmp.dataDir,
    env: tmp.env,
    secrets: new InsecureFileStore(tmp.dataDir),
  });
}

/** Adds projects `<name>` at https://<name>.test/mcp with the given sign-in kind, in order. */
async function addAll<K extends string>(auth: Record<K, AuthKind>): Promise<Record<K, Project>> {
  const out = {} as Record<K, Project>;
  for (const [name, kind] of Object.entries(auth) as [K, AuthKind][]) {
    out[name] = await services.projects.add({ name, url: `https://${name}.test/mcp`, auth: kind });
  }
  return out;
}

describe('collectTrayState', () => {
  it('reads real projects and tolerates missing sources', async () => {
    await services.projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const state = await collectTrayState(traySourcesFrom(services));
    expect(state).toMatchObject({
      launchAtLogin: false,
      projects: [{ name: 'acme', connected: true, problems: [], sessions: {}, clients: [] }],
    });
  });

  it('folds in tokens, sessions, clients and problems; a failing source only hides its part', async () => {
    const a = await services.projects.add({
      name: 'acme',
      url: 'https://a.test/mcp',
      auth: 'bearer',
    });
    const b = await services.projects.add({
      name: 'beta',
      url: 'https://b.test/mcp',
      auth: 'bearer',
    });
    const state = await collectTrayState({
      projects: services.projects,
      tokens: async () => [
        { projectId: a.id, name: 'old', status: 'expired' },
        { projectId: a.id, name: 'new', status: 'active' },
        { projectId: b.id, name: 'ci', status: 'expired' },
      ],
      sessions: async () => [
        { sessionId: 's1', projectId: a.id, clientName: 'Cursor', callsLastMinute: 0, errors: 0 },
        { sessionId: 's2', projectId: a.id, clientName: 'Cursor', callsLastMinute: 2, errors: 0 },
        {
          sessionId: 's3',
          projectId: 'prj_gone',
          clientName: 'Zed',
          callsLastMinute: 0,
          errors: 0,
        },
      ],
      clients: async () => [{ id: 'cursor', name: 'Cursor', installedProjectIds: [a.id] }],
      problems: () => Promise.reject(new Error('consent store unavailable')),
      launchAtLogin: () => true,
    });
    const [pa, pb] = state.projects;
    expect(pa).toMatchObject({ problems: [], sessions: { Cursor: 2 } });
    expect(pa!.clients).toEqual([{ id: 'cursor', name: 'Cursor', installed: true }]);
    expect(pb!.problems).toEqual([
      { kind: 'token-expired', message: 'Token "ci" of beta expired — rotate it in Switchboard.' },
    ]);
    expect(pb!.clients).toEqual([{ id: 'cursor', name: 'Cursor', installed: false }]);
    expect(state.launchAtLogin).toBe(true);
    // Sessions of projects that no longer exist are not client rows.
    expect(state.sessions?.map((x) => x.sessionId)).toEqual(['s1', 's2']);
  });

  it('reads sign-in states from the real auth-status.json', async () => {
    const { acme: a, beta: b } = await addAll({ acme: 'oauth', beta: 'oauth' });
    await writeAuthStatus(tmp.dataDir, a.id, {
      status: 'sign-in-needed',
      message: 'the refresh token was rejected; sign in again.',
    });
    await writeAuthStatus(tmp.dataDir, b.id, { status: 'permission-needed', scopes: ['repo'] });
    const state = await collectTrayState(traySourcesFrom(services));
    expect(state.projects[0]).toMatchObject({
      auth: { state: 'sign-in-needed' },
      problems: [
        {
          kind: 'sign-in-needed',
          message: 'acme: sign-in needed — the refresh token was rejected; sign in again.',
        },
      ],
    });
    expect(state.projects[1]).toMatchObject({
      auth: { state: 'permission-needed', scopes: ['repo'] },
      problems: [{ kind: 'permission-needed', scopes: ['repo'] }],
    });
    await writeAuthStatus(tmp.dataDir, a.id, { status: 'signed-in' });
    const after = await collectTrayState(traySourcesFrom(services));
    expect(after.projects[0]).toMatchObject({ auth: { state: 'signed-in' }, problems: [] });
  });

  it('shows a provisioned project’s endpoint as the provisioning service reports it', async () => {
    services = withFileSecrets();
    const p = await services.projects.add({
      name: 'vendor',
      url: 'https://shared.vendor.test/mcp',
      auth: 'provisioned',
    });
    const state = await collectTrayState(traySourcesFrom(services));
    // No API key yet: the shared URL, and why; nothing to re-provision.
    expect(state.projects[0]).toMatchObject({
      id: p.id,
      endpoint: 'shared (no API key)',
      problems: [],
    });
    const menu = buildTrayTemplate(state);
    expect(menu.flatMap((i) => (i.kind === 'submenu' ? i.items : [])).map((i) => i.id)).toContain(
      `project:${p.id}:endpoint`,
    );
    // Re-provision through the real service: it cannot here, and the dialog says what to do.
    const { shell, failures } = recordingShell();
    const result = await runTrayAction(
      { type: 'reprovision', projectId: p.id },
      trayActionDepsFrom(services, shell),
    );
    expect(result.ok).toBe(false);
    expect(failures).toEqual([
      {
        title: 'Could not provision the endpoint again',
        message: expect.stringMatching(/^vendor has no control plane configured; set one with/),
        details: { type: 'open-main', target: { projectId: p.id } },
      },
    ]);
  });

  it('takes sign-in states, endpoint kinds and refused calls as inputs', async () => {
    const {
      acme: a,
      beta: b,
      gamma: c,
    } = await addAll({ acme: 'oauth', beta: 'provisioned', gamma: 'none' });
    const problems = async () => [
      { projectId: b.id, kind: 'disconnected-trying' as const, message: 'Zed tried beta.' },
      { projectId: c.id, kind: 'disconnected-trying' as const, message: 'Zed tried gamma.' },
    ];
    await services.projects.setConnected('gamma', false);
    const state = await collectTrayState({
      projects: services.projects,
      auth: async () => [{ projectId: a.id, state: 'permission-needed', scopes: ['write'] }],
      endpoints: async () => [
        {
          projectId: b.id,
          endpoint: 'shared (provisioning failed: deploy timed out)',
          needsReprovision: true,
        },
      ],
      // An expiring OAuth token refreshes itself: no "Rotate token" for it.
      tokens: async () => [{ projectId: a.id, name: 'oauth', status: 'expiring-soon' }],
      problems,
      indexing: () => 40,
      now: () => 1234,
    });
    const [pa, pb, pc] = state.projects;
    expect(pa).toMatchObject({ authKind: 'oauth', auth: { state: 'permission-needed' } });
    expect(pa!.problems).toEqual([
      {
        kind: 'permission-needed',
        message: 'acme asks for more permission (write) — grant it to continue.',
        scopes: ['write'],
      },
    ]);
    expect(pb!.endpoint).toBe('shared (provisioning failed: deploy timed out)');
    expect(pb!.problems[0]).toEqual({
      kind: 'reprovision-needed',
      message:
        'beta fell back to the shared endpoint: shared (provisioning failed: deploy timed out) — provision it again.',
    });
    // beta is still connected: a refusal from before it was switched back on is history.
    expect(pb!.problems.map((x) => x.kind)).toEqual(['reprovision-needed']);
    expect(pc!.problems).toEqual([{ kind: 'disconnected-trying', message: 'Zed tried gamma.' }]);
    expect(state).toMatchObject({ indexingPercent: 40, now: 1234 });
  });

  it('reads token health and installed clients from the real services', async () => {
    services = withFileSecrets();
    const a = await services.projects.add({
      name: 'acme',
      url: 'https://a.test/mcp',
      auth: 'bearer',
    });
    await services.tokens.add({
      project: 'acme',
      name: 'ci',
      value: 'acme_tok_0123456789abcdefghij',
      expires: '2d',
    });
    await fs.mkdir(path.join(tmp.home, '.cursor'), { recursive: true }); // Cursor is "installed"
    const { shell, calls } = recordingShell();
    const deps = trayActionDepsFrom(services, shell);

    const state = await collectTrayState(traySourcesFrom(services));
    expect(state.projects[0]!.problems).toEqual([
      {
        kind: 'token-expiring',
        message: 'Token "ci" of acme expires soon — rotate it in Switchboard.',
      },
    ]);
    expect(state.projects[0]!.clients).toContainEqual({
      id: 'cursor',
      name: 'Cursor',
      installed: false,
    });

    // Install into ▸ Cursor never writes from the tray: it opens the window on the preview.
    const menu = buildTrayTemplate(state);
    expect(await clickTrayItem(menu, `project:${a.id}:install:cursor`, deps)).toEqual({ ok: true });
    expect(calls).toEqual([`main:${a.id}:install:cursor:install`]);
    await expect(fs.access(path.join(tmp.home, '.cursor', 'mcp.json'))).rejects.toThrow();
  });

  it('reports a corrupt projects.json in the menu instead of failing', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(services.projects.store.path, '{ not json');
    const state = await collectTrayState(traySourcesFrom(services));
    expect(state.loadError).toMatch(/^Projects cannot be read: .*Open Switchboard for details\.$/);
    expect(await fs.readFile(services.projects.store.path, 'utf8')).toBe('{ not json');
  });
});

describe('runTrayAction', () => {
  it('tests a connection against a real MCP server and says the result in a notification', async () => {
    const server = await startMcpTestServer();
    try {
      const p = await services.projects.add({ name: 'local', url: server.url });
      const { shell, notices, failures } = recordingShell();
      const deps = trayActionDepsFrom(services, shell);
      const ok = await runTrayAction({ type: 'test', projectId: p.id }, deps);
      expect(ok).toMatchObject({
        ok: true,
        message: expect.stringMatching(
          /^local: connected to switchboard-test-server, \d+ tools \(\d+ ms\)\.$/,
        ),
      });
      await server.stop();
      const down = await runTrayAction({ type: 'test', projectId: p.id }, deps);
      expect(down.ok).toBe(false);
      expect(notices.map((n) => n.title)).toEqual(['Connection works']);
      // A failed test is a dialog whose "Open details" is the project's audit log.
      expect(failures).toEqual([
        {
          title: 'Connection test failed',
          message: expect.stringMatching(/^local: /),
          details: { type: 'open-audit', projectId: p.id },
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('disconnects and reconnects a real project, and records it in the audit log', async () => {
    const p = await services.projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    const { shell } = recordingShell();
    const written: unknown[] = [];
    const deps = {
      projects: services.projects,
      shell,
      audit: { write: (e: unknown) => void written.push(e) },
    };

    let menu = buildTrayTemplate(await collectTrayState(traySourcesFrom(services)));
    expect(await clickTrayItem(menu, `project:${p.id}:disconnect`, deps)).toEqual({
      ok: true,
      message: 'acme is disconnected: its bridges refuse every request.',
    });
    expect((await services.projects.get('acme')).connected).toBe(false);

    menu = buildTrayTemplate(await collectTrayState(traySourcesFrom(services)));
    expect(await clickTrayItem(menu, `project:${p.id}:disconnect`, deps)).toMatchObject({
      ok: false,
    });
    expect(await clickTrayItem(menu, `project:${p.id}:connect`, deps)).toMatchObject({ ok: true });
    expect((await services.projects.get('acme')).connected).toBe(true);
    expect(written).toMatchObject([
      { projectId: p.id, kind: 'disconnect', detail: { via: 'tray' } },
      { projectId: p.id, kind: 'connect', detail: { via: 'tray' } },
    ]);
  });

  it('routes window, login-item and quit actions to the shell hooks', async () => {
    const { shell, calls } = recordingShell();
    const deps = { projects: services.projects, shell };
    for (const action of [
      { type: 'open-main' },
      { type: 'open-audit' },
      { type: 'open-audit', projectId: 'prj_x' },
      { type: 'set-launch-at-login', enabled: true },
      { type: 'quit' },
    ]) {
      expect(await runTrayAction(action, deps)).toEqual({ ok: true });
    }
    expect(calls).toEqual(['main', 'audit:*', 'audit:prj_x', 'login:true', 'quit']);
  });

  it('refuses malformed actions and shows every failure in a dialog, never a throw', async () => {
    const { shell, failures } = recordingShell();
    const deps = { projects: services.projects, shell };
    for (const bad of [
      undefined,
      null,
      'quit',
      { type: 'rm -rf' },
      { type: 'connect' },
      { type: 'quit', x: 1 },
      { type: 'install', projectId: 'prj_a', clientId: 'cursor' },
    ]) {
      expect(await runTrayAction(bad, deps)).toMatchObject({ ok: false });
    }
    expect(failures).toHaveLength(7);
    expect(failures[0]).toEqual({
      title: 'Switchboard',
      message: 'Unknown tray action; the menu may be out of date. Open the menu again.',
      details: { type: 'open-main' },
    });
    failures.length = 0;
    const missing = await runTrayAction({ type: 'disconnect', projectId: 'prj_nope' }, deps);
    expect(missing).toEqual({
      ok: false,
      message: 'No project "prj_nope". Run `switchboard project list` to see your projects.',
    });
    expect(failures).toEqual([
      {
        title: 'Could not disconnect the project',
        message: missing.message,
        details: { type: 'open-main', target: { projectId: 'prj_nope' } },
      },
    ]);
  });

  it('a failing Sign in shows a dialog with what happened and "Open details"', async () => {
    const { shell, failures, calls } = recordingShell();
    const deps = {
      projects: services.projects,
      shell,
      auth: {
        signIn: async () => {
          throw new Error(
            'The authorization server at https://auth.a.test is unreachable (Bearer abcdefghijklmnopqr).',
          );
        },
        signOut: async () => ({ message: 'Signed out.' }),
      },
    };
    expect(await runTrayAction({ type: 'sign-in', projectId: 'prj_a' }, deps)).toMatchObject({
      ok: false,
    });
    expect(failures).toEqual([
      {
        title: 'Could not start the sign-in',
        message:
          'The authorization server at https://auth.a.test is unreachable (Bearer [REDACTED]).',
        details: { type: 'open-main', target: { projectId: 'prj_a' } },
      },
    ]);
    // "Open details" is an ordinary tray action: it opens the window on the project.
    expect(await runTrayAction(failures[0]!.details, deps)).toEqual({ ok: true });
    expect(calls).toEqual(['main:prj_a:::']);
    expect(await runTrayAction({ type: 'sign-out', projectId: 'prj_a' }, deps)).toEqual({
      ok: true,
      message: 'Signed out.',
    });
    // Without the OAuth part, Sign in says so in the dialog instead of doing nothing.
    const bare = await runTrayAction(
      { type: 'grant-permission', projectId: 'prj_a', scopes: ['x'] },
      { projects: services.projects, shell },
    );
    expect(bare).toEqual({
      ok: false,
      message: 'Granting permission is not available in this build of Switchboard.',
    });
  });

  it('passes scopes to sign-in, re-provisions and snoozes through the optional services', async () => {
    const { shell, failures } = recordingShell();
    const log: string[] = [];
    const deps = {
      projects: services.projects,
      shell,
      auth: {
        signIn: async (p: string, o: { scopes?: string[] }) => {
          log.push(`sign-in ${p} ${o.scopes?.join(',') ?? '-'}`);
          return { message: 'Finish signing in in your browser.' };
        },
        signOut: async () => ({ message: '' }),
      },
      provisioning: {
        reprovision: async (p: string) => {
          log.push(`reprovision ${p}`);
          return { message: 'Provisioned again.' };
        },
      },
      snooze: (keys: readonly string[]) => void log.push(`snooze ${keys.join(',')}`),
      testConnection: async () => ({
        ok: false,
        summary: 'acme: 401 — token rejected (Bearer abcdefghijklmnop).',
      }),
    };
    await runTrayAction({ type: 'grant-permission', projectId: 'prj_a', scopes: ['repo'] }, deps);
    await runTrayAction({ type: 'sign-in', projectId: 'prj_a' }, deps);
    await runTrayAction({ type: 'reprovision', projectId: 'prj_b' }, deps);
    await runTrayAction({ type: 'snooze', keys: ['prj_a:sign-in'] }, deps);
    expect(log).toEqual([
      'sign-in prj_a repo',
      'sign-in prj_a -',
      'reprovision prj_b',
      'snooze prj_a:sign-in',
    ]);
    expect(await runTrayAction({ type: 'test', projectId: 'prj_a' }, deps)).toMatchObject({
      ok: false,
    });
    expect(failures[0]!.message).toContain('(Bearer [REDACTED])');
    expect(failures[0]!.message).not.toContain('abcdefghijklmnop');
  });
});
