import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { startMcpTestServer } from '../testing/mcp-test-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { clickTrayItem, runTrayAction, type ShellHooks } from './run-tray-action.js';
import { buildTrayTemplate } from './tray-template.js';
import { collectTrayState } from './tray-state.js';
import { trayActionDepsFrom, traySourcesFrom } from './tray-sources.js';
import { InsecureFileStore } from '../vault/file-store.js';

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
  const shell: ShellHooks = {
    openMainWindow: () => void calls.push('main'),
    openAuditWindow: (f) => void calls.push(`audit:${f.projectId ?? '*'}`),
    setLaunchAtLogin: (on) => void calls.push(`login:${on}`),
    notify: (n) => void notices.push(n),
    quit: () => void calls.push('quit'),
  };
  return { shell, calls, notices };
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
        { projectId: a.id, clientName: 'Cursor' },
        { projectId: a.id, clientName: 'Cursor' },
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
  });

  it('reads token health and installed clients from the real services', async () => {
    // The explicit insecure file store stands in for the keychain (no Secret Service in unit
    // tests); token health is computed by the real TokensService either way.
    services = createServices({
      dataDir: tmp.dataDir,
      env: tmp.env,
      secrets: new InsecureFileStore(tmp.dataDir),
    });
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
    const { shell } = recordingShell();
    const deps = trayActionDepsFrom(services, shell);

    let state = await collectTrayState(traySourcesFrom(services));
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

    // Install into ▸ Cursor from the tray writes the real config file in this test's HOME.
    let menu = buildTrayTemplate(state);
    expect(await clickTrayItem(menu, `project:${a.id}:install:cursor`, deps)).toMatchObject({
      ok: true,
    });
    const config = await fs.readFile(path.join(tmp.home, '.cursor', 'mcp.json'), 'utf8');
    expect(config).toContain(a.id);
    expect(config).not.toContain('acme_tok_0123456789abcdefghij');
    state = await collectTrayState(traySourcesFrom(services));
    expect(state.projects[0]!.clients).toContainEqual({
      id: 'cursor',
      name: 'Cursor',
      installed: true,
    });

    menu = buildTrayTemplate(state);
    expect(await clickTrayItem(menu, `project:${a.id}:install:cursor`, deps)).toMatchObject({
      ok: true,
    });
    state = await collectTrayState(traySourcesFrom(services));
    expect(state.projects[0]!.clients).toContainEqual({
      id: 'cursor',
      name: 'Cursor',
      installed: false,
    });
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
      const { shell, notices } = recordingShell();
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
      expect(notices.map((n) => n.title)).toEqual(['Connection works', 'Connection failed']);
      expect(notices[1]!.body).toMatch(/^local: /);
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

  it('refuses malformed actions and reports failures as a notification, never a throw', async () => {
    const { shell, notices } = recordingShell();
    const deps = { projects: services.projects, shell };
    for (const bad of [
      undefined,
      null,
      'quit',
      { type: 'rm -rf' },
      { type: 'connect' },
      { type: 'quit', x: 1 },
    ]) {
      expect(await runTrayAction(bad, deps)).toMatchObject({ ok: false });
    }
    const missing = await runTrayAction({ type: 'disconnect', projectId: 'prj_nope' }, deps);
    expect(missing).toEqual({
      ok: false,
      message: 'No project "prj_nope". Run `switchboard project list` to see your projects.',
    });
    expect(notices).toEqual([{ title: 'Switchboard', body: missing.message }]);
    const noClients = await runTrayAction(
      { type: 'install', projectId: 'prj_a', clientId: 'cursor' },
      deps,
    );
    expect(noClients).toMatchObject({ ok: false, message: /not available/ });
  });

  it('installs, uninstalls and tests through the optional services, with a notification', async () => {
    const { shell, notices } = recordingShell();
    const log: string[] = [];
    const deps = {
      projects: services.projects,
      shell,
      clients: {
        install: async (c: string, p: string) => {
          log.push(`install ${c} ${p}`);
          return { clientName: 'Cursor', note: 'Restart Cursor to pick it up.' };
        },
        uninstall: async (c: string, p: string) => {
          log.push(`uninstall ${c} ${p}`);
          return { clientName: 'Cursor', note: '' };
        },
      },
      testConnection: async () => ({
        ok: false,
        summary: 'acme: 401 — token rejected (Bearer abcdefghijklmnop).',
      }),
    };
    expect(
      await runTrayAction({ type: 'install', projectId: 'prj_a', clientId: 'cursor' }, deps),
    ).toMatchObject({ ok: true });
    expect(
      await runTrayAction({ type: 'uninstall', projectId: 'prj_a', clientId: 'cursor' }, deps),
    ).toMatchObject({ ok: true });
    expect(log).toEqual(['install cursor prj_a', 'uninstall cursor prj_a']);
    expect(await runTrayAction({ type: 'test', projectId: 'prj_a' }, deps)).toMatchObject({
      ok: false,
    });
    expect(notices.map((n) => n.title)).toEqual([
      'Switchboard',
      'Switchboard',
      'Connection failed',
    ]);
    expect(notices[2]!.body).toContain('(Bearer [REDACTED])');
    expect(notices[2]!.body).not.toContain('abcdefghijklmnop');
  });
});
