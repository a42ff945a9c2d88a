import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startMcpTestServer, type McpTestServer } from '../../app/testing/mcp-test-server';
import { CLI_PATH, REPO_ROOT } from '../../app/testing/run-cli';
import { findTrayItem, type TrayItem } from '../../app/tray/tray-model';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** The kill switch's promise: every running bridge refuses within a second. */
const KILL_SWITCH_MS = 1_000;

function label(menu: TrayItem[], id: string): string {
  const item = findTrayItem(menu, id);
  if (!item || item.kind === 'separator') throw new Error(`no tray item ${id}`);
  return item.label;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The audit window: in Electron its own BrowserWindow (a page of the same context); in the
 * browser target the one page, which the host routes to #/audit.
 */
async function auditPage(main: Page): Promise<Page> {
  let found: Page | undefined;
  await expect
    .poll(
      () =>
        (found = main
          .context()
          .pages()
          .find((p) => p.url().includes('#/audit'))),
    )
    .toBeDefined();
  return found!;
}

let server: McpTestServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('disconnecting from the tray cuts off a running bridge; reconnecting restores it', async ({
  app,
}) => {
  server = await startMcpTestServer();
  const added = await app.cli([
    'project',
    'add',
    'acme-local',
    '--url',
    server.url,
    '--display-name',
    'Acme (local)',
    '--json',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const project = JSON.parse(added.stdout) as { id: string };

  // A real MCP client session through the real bridge, as Claude Desktop would spawn it.
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', project.id],
    env: app.env as Record<string, string>,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let bridgeStderr = '';
  transport.stderr?.on('data', (d: Buffer) => (bridgeStderr += d.toString()));
  const client = new Client({ name: 'tray-e2e-client', version: '1.0.0' });
  await client.connect(transport);
  try {
    const before = await client.callTool({ name: 'echo', arguments: { message: 'before' } });
    expect(before.content).toEqual([{ type: 'text', text: 'Echo: before' }]);

    const row = app.page.getByTestId('project-acme-local');
    await expect(row).toBeVisible();
    await expect(row).toContainText('Connected');
    expect(label(await app.trayMenu(), `project:${project.id}`)).toMatch(
      /^● Acme \(local\) — Connected/,
    );
    // The running session shows in the tray, named after the client (from the audit log).
    await expect
      .poll(async () => label(await app.trayMenu(), `project:${project.id}:sessions`))
      .toBe('1 active session: tray-e2e-client');

    // Disconnect from the tray.
    expect(await app.trayAction(`project:${project.id}:disconnect`)).toEqual({
      ok: true,
      message: 'Acme (local) is disconnected: its bridges refuse every request.',
    });
    const menu = await app.trayMenu();
    expect(label(menu, `project:${project.id}`)).toBe('○ Acme (local) — Disconnected · 1 session');
    expect(findTrayItem(menu, `project:${project.id}:connect`)).toBeDefined();
    await expect(row).toContainText('Disconnected');
    await app.screenshot('disconnected');

    // Within the kill switch's second, the running session's next request is refused, clearly.
    await sleep(KILL_SWITCH_MS);
    const callsBefore = server.calls.get('echo') ?? 0;
    const refused = await client
      .callTool({ name: 'echo', arguments: { message: 'while off' } })
      .then(
        () => new Error('the call went through'),
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/disconnected in Switchboard/);
    expect((refused as Error).message).toContain('switchboard connect acme-local');
    expect(server.calls.get('echo') ?? 0).toBe(callsBefore); // never reached the server

    // Reconnect from the tray: the same session works again, no restart.
    expect(await app.trayAction(`project:${project.id}:connect`)).toMatchObject({ ok: true });
    await expect(row).not.toContainText('Disconnected');
    await sleep(KILL_SWITCH_MS);
    const after = await client.callTool({ name: 'echo', arguments: { message: 'after' } });
    expect(after.content).toEqual([{ type: 'text', text: 'Echo: after' }]);
    expect(label(await app.trayMenu(), `project:${project.id}`)).toMatch(
      /^● Acme \(local\) — Connected/,
    );
    await app.screenshot('reconnected');

    // "Open audit" shows this session's traffic in the audit window (the same renderer at #/audit).
    expect(await app.trayAction(`project:${project.id}:audit`)).toEqual({ ok: true });
    const audit = await auditPage(app.page);
    await expect(audit.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    expect(audit.url()).toContain(`#/audit?project=${project.id}`);
    await app.screenshot('audit-window');
  } finally {
    await client.close();
  }
  expect(bridgeStderr).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
});

test('the tray menu follows the app state and its app actions work', async ({ app }) => {
  let menu = await app.trayMenu();
  expect(label(menu, 'header')).toBe('Switchboard — no projects yet');
  expect(label(menu, 'no-projects')).toBe('No projects yet — open Switchboard to add one');

  await app.cli(['project', 'add', 'beta', '--url', 'https://mcp.beta.test/mcp']);
  await app.cli(['disconnect', 'beta']);
  menu = await app.trayMenu();
  expect(label(menu, 'header')).toBe('Switchboard — 0 of 1 project connected');
  await expect(app.page.getByTestId('project-beta')).toContainText('Disconnected');

  // Launch at login writes (and removes) a real autostart entry in the test's HOME on Linux.
  const entry = path.join(app.home, '.config', 'autostart', 'switchboard.desktop');
  expect(await app.trayAction('launch-at-login')).toEqual({ ok: true });
  expect(await fs.readFile(entry, 'utf8')).toContain('Exec=');
  expect(findTrayItem(await app.trayMenu(), 'launch-at-login')).toMatchObject({ checked: true });
  expect(await app.trayAction('launch-at-login')).toEqual({ ok: true });
  await expect(fs.access(entry)).rejects.toThrow();

  expect(await app.trayAction('open')).toEqual({ ok: true });
  expect(await app.trayAction('header')).toMatchObject({ ok: false });
  await app.screenshot('main-window');
});

test('an upstream auth failure in a bridge turns the tray to attention, naming the fix', async ({
  app,
}) => {
  server = await startMcpTestServer({ token: 'tok_expected_0123456789abcdef' });
  // A bearer project with no token stored: the bridge has no usable credential to send.
  const added = await app.cli([
    'project',
    'add',
    'locked',
    '--url',
    server.url,
    '--auth',
    'bearer',
    '--json',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const project = JSON.parse(added.stdout) as { id: string };
  expect(label(await app.trayMenu(), `project:${project.id}`)).toBe('● locked — Connected');

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', project.id],
    env: app.env as Record<string, string>,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'tray-e2e-client', version: '1.0.0' });
  const failed = await client.connect(transport).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  await client.close();
  expect(failed?.message).toMatch(/locked/);

  // The bridge's audit record reaches the tray: attention, with what to do.
  await expect
    .poll(async () => label(await app.trayMenu(), `project:${project.id}`))
    .toBe('⚠ locked — Sign-in failed');
  const menu = await app.trayMenu();
  expect(label(menu, 'header')).toBe('Switchboard — 1 of 1 project connected, 1 needs attention');
  expect(label(menu, `project:${project.id}:problem:0`)).toMatch(
    /^⚠ locked: sign-in failed — .*switchboard token add/i,
  );
});
