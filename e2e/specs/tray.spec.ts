import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startMcpTestServer, type McpTestServer } from '../../app/testing/mcp-test-server';
import { CLI_PATH, REPO_ROOT } from '../../app/testing/run-cli';
import { writeAuthStatus } from '../../app/oauth/auth-status';
import { findTrayItem, type TrayItem } from '../../app/tray/tray-model';
import { buildTrayTemplate, trayTitle } from '../../app/tray/tray-template';
import { TRAY_STATES } from '../../app/tray/testing/tray-states';
import type { Page } from '@playwright/test';
import { saveScreenshot } from '../support/artifacts';
import type { AppDriver } from '../support/driver';
import { trayHtml } from '../host/tray-html';
import { expect, test } from '../fixtures';

/** A tray page's screenshot, light and dark. */
async function saveTrayShot(app: AppDriver, page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await saveScreenshot(page, app.target, `tray--${name}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreenshot(page, app.target, `tray--${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** `switchboard project add <name> --url <url> [extra…]` through the real CLI; the new project's id. */
async function addProject(app: AppDriver, name: string, url: string, ...extra: string[]) {
  const added = await app.cli(['project', 'add', name, '--url', url, ...extra, '--json']);
  expect(added.code, added.stderr).toBe(0);
  return JSON.parse(added.stdout) as { id: string };
}

/** An MCP client as hosts spawn it: the bridge command with a stripped environment. */
async function spawnClient(app: AppDriver, clientName: string, project: string) {
  const env: Record<string, string> = {};
  for (const k of ['HOME', 'PATH', 'SHELL', 'TERM', 'USER', 'SWITCHBOARD_HOME']) {
    const v = app.env[k];
    if (v !== undefined) env[k] = v;
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', project],
    env,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(transport);
  return client;
}

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
  const project = await addProject(app, 'acme-local', server.url, '--display-name', 'Acme (local)');

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

    // The refused call puts "Reconnect" at the top of the tray, naming the client.
    await expect
      .poll(async () => findTrayItem(await app.trayMenu(), `attention:${project.id}:disconnected`))
      .toMatchObject({
        label: '⚠ Reconnect — Acme (local): disconnected, a client keeps trying',
        toolTip: expect.stringMatching(
          /^tray-e2e-client tried Acme \(local\) once while it is disconnected/,
        ),
        action: { type: 'connect', projectId: project.id },
      });
    if (app.showTray) {
      const tray = await app.showTray();
      await expect(tray.getByTestId('tray-tooltip')).toHaveText(
        'Switchboard — 1 project, all disconnected, 1 client active, 1 needs attention',
      );
      await expect(tray.locator('img[data-status="attention"]')).toBeVisible();
      await saveTrayShot(app, tray, 'live-disconnected-client-trying');
      // Reconnect from the tray's own row: the same session works again, no restart.
      await tray.getByRole('menuitem', { name: /Reconnect — Acme \(local\)/ }).click();
    } else {
      expect(await app.trayAction(`attention:${project.id}:disconnected`)).toMatchObject({
        ok: true,
      });
    }
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
  expect(label(menu, 'header')).toBe('Switchboard — 1 project, all disconnected, 0 clients active');
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
  const project = await addProject(app, 'locked', server.url, '--auth', 'bearer');
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
  expect(label(menu, 'header')).toMatch(
    /^Switchboard — 1 project, \d clients? active, 1 needs attention$/,
  );
  expect(label(menu, `project:${project.id}:problem:0`)).toMatch(
    /^⚠ locked: sign-in failed — .*switchboard token add/i,
  );
  // The attention row's verb for a token project: Rotate token, which opens its token panel.
  expect(label(menu, `attention:${project.id}:sign-in`)).toBe(
    '⚠ Rotate token — locked: sign-in failed',
  );
  expect(await app.trayAction(`attention:${project.id}:sign-in`)).toEqual({ ok: true });
  await expect(app.page).toHaveURL(new RegExp(`#/project\\?id=${project.id}&view=tokens`));
  await expect(app.page.getByRole('heading', { name: 'locked' })).toBeVisible();
  await app.screenshot('rotate-token-from-tray');
});

test('every tray state, from the same template, as an HTML menu in light and dark', async ({
  app,
}) => {
  test.skip(!app.showTray, 'the native tray is drawn by the OS; its template is unit-tested');
  const page = await app.page.context().newPage();
  for (const [name, state] of Object.entries(TRAY_STATES)) {
    await page.setContent(trayHtml(state));
    await expect(page.getByTestId('tray-tooltip')).toHaveText(trayTitle(state));
    const menu = page.getByRole('menu', { name: 'Switchboard tray menu' });
    // Every item of the template is there, in order, with its label.
    const labels = (items: TrayItem[]): string[] =>
      items.flatMap((i) =>
        i.kind === 'separator'
          ? []
          : i.kind === 'submenu'
            ? [i.label, ...labels(i.items)]
            : [i.label],
      );
    const expected = labels(buildTrayTemplate(state));
    const shown = await menu.locator('[data-id]').allInnerTexts();
    expect(shown.map((t) => t.replace(/^✓/, '').replace(/▸$/, '').trim())).toEqual(expected);
    await saveTrayShot(app, page, name);
  }
  await page.close();
});

test('two clients through real bridges are two Clients rows; ending one removes its row', async ({
  app,
}) => {
  server = await startMcpTestServer();
  const project = await addProject(app, 'acme', server.url);
  const claude = await spawnClient(app, 'Claude Desktop', project.id);
  const cursor = await spawnClient(app, 'Cursor', project.id);
  try {
    await claude.callTool({ name: 'echo', arguments: { message: 'one' } });
    await cursor.callTool({ name: 'echo', arguments: { message: 'two' } });
    await cursor.callTool({ name: 'echo', arguments: { message: 'three' } });
    const rows = async () => {
      const menu = await app.trayMenu();
      const start = menu.findIndex((i) => i.id === 'clients');
      return menu
        .slice(start)
        .filter((i) => i.id.startsWith('client:'))
        .map((i) => (i.kind === 'separator' ? '' : i.label));
    };
    await expect
      .poll(rows)
      .toEqual([
        expect.stringMatching(
          /^Claude Desktop → acme · 2 calls in the last minute · last call just now$/,
        ),
        expect.stringMatching(/^Cursor → acme · 3 calls in the last minute · last call just now$/),
      ]);
    expect(label(await app.trayMenu(), 'clients')).toBe('Clients (2)');
    expect(label(await app.trayMenu(), 'header')).toBe('Switchboard — 1 project, 2 clients active');
    if (app.showTray) await saveTrayShot(app, await app.showTray(), 'live-two-clients');

    // A Clients row opens that session's traffic: Cursor's two calls, not Claude's one.
    const cursorRow = (await app.trayMenu()).find(
      (i) => i.id.startsWith('client:') && i.kind === 'item' && i.label.startsWith('Cursor'),
    )!;
    expect(await app.trayAction(cursorRow.id)).toEqual({ ok: true });
    const audit = await auditPage(app.page);
    expect(audit.url()).toContain(`session=${cursorRow.id.slice('client:'.length)}`);
    await expect(
      audit.getByTestId('audit-row').filter({ hasText: 'tools/call · echo' }),
    ).toHaveCount(4);
    await audit.evaluate(() => (window.location.hash = '#/'));

    await claude.close();
    await expect.poll(rows).toEqual([expect.stringMatching(/^Cursor → acme · /)]);
    expect(label(await app.trayMenu(), 'clients')).toBe('Clients (1)');
  } finally {
    await claude.close();
    await cursor.close();
  }
});

test('Install into ▸ opens the window on the diff preview; nothing is written before Confirm', async ({
  app,
}) => {
  const project = await addProject(app, 'acme', 'https://mcp.acme.test/mcp');
  await fs.mkdir(path.join(app.home, '.cursor'), { recursive: true }); // Cursor is on this machine
  const config = path.join(app.home, '.cursor', 'mcp.json');

  const item = findTrayItem(await app.trayMenu(), `project:${project.id}:install:cursor`);
  expect(item).toMatchObject({ label: 'Cursor…', checked: false });
  expect(await app.trayAction(`project:${project.id}:install:cursor`)).toEqual({ ok: true });

  const dialog = app.page.getByRole('dialog', { name: 'Install in Cursor?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(project.id);
  await expect(fs.access(config)).rejects.toThrow();
  await app.screenshot('install-preview-from-tray');
  await dialog.getByRole('button', { name: 'Write config' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => fs.readFile(config, 'utf8').catch(() => '')).toContain(project.id);
  await expect
    .poll(async () => findTrayItem(await app.trayMenu(), `project:${project.id}:install:cursor`))
    .toMatchObject({ checked: true });
});

test('a failed tray action is a dialog with Open details, not silence', async ({ app }) => {
  test.skip(!app.shellLog, 'the browser host records the dialog; Electron shows a native one');
  const project = await addProject(app, 'acme', 'https://mcp.acme.test/mcp', '--auth', 'oauth');
  expect(label(await app.trayMenu(), `project:${project.id}:sign-in`)).toBe('Sign in…');
  // Clicked in the tray: the failure comes back as a dialog, Close focused, Open details beside it.
  const tray = await app.showTray!();
  await tray.getByRole('menuitem', { name: 'Sign in…' }).click();
  const dialog = tray.getByRole('alertdialog', { name: 'Could not start the sign-in' });
  await expect(dialog).toBeVisible();
  // The server cannot be reached (.test never resolves), so the sign-in's discovery fails.
  await expect(dialog).toContainText('OAuth discovery for https://mcp.acme.test/mcp failed');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  expect(app.shellLog).toContainEqual(
    expect.stringMatching(
      /^failure:Could not start the sign-in: OAuth discovery for https:\/\/mcp\.acme\.test\/mcp failed/,
    ),
  );
  await saveTrayShot(app, tray, 'failed-action-dialog');
  // "Open details" opens the main window on the project.
  await dialog.getByRole('button', { name: 'Open details' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.page).toHaveURL(new RegExp(`#/project\\?id=${project.id}`));
  await expect(app.page.getByRole('heading', { name: 'acme' })).toBeVisible();
});

test('activity: sparklines in the list, a chart per project, and a click filters the audit timeline', async ({
  app,
}) => {
  server = await startMcpTestServer();
  const project = await addProject(app, 'acme', server.url);
  const client = await spawnClient(app, 'Claude Desktop', project.id);
  try {
    for (let i = 0; i < 5; i++)
      await client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
    await client.callTool({ name: 'no-such-tool', arguments: {} }).catch(() => undefined);
    const page = app.page;
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.reload();
    const row = page.getByTestId('project-acme');
    await expect(row.getByRole('img', { name: /calls in the last hour/ })).toHaveAttribute(
      'aria-label',
      /^\d+ calls in the last hour, peak \d+ a minute/,
    );
    const chart = page.getByTestId('activity-chart');
    await expect(chart).toHaveAttribute(
      'aria-label',
      /^\d+ calls and \d+ errors? in the last hour$/,
    );
    await expect(chart.locator('canvas')).toBeVisible();
    // The range is a radio group: arrow keys move to the day, and the chart follows.
    await page.getByRole('radio', { name: 'Last hour' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Last 24 hours' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await expect(chart).toHaveAttribute('aria-label', /in the last 24 hours$/);
    await page.getByRole('radio', { name: 'Last hour' }).click();
    await expect(chart).toHaveAttribute('aria-label', /in the last hour$/);
    // Per client: this project's only client made every call; the total says the same.
    const total = await chart.getAttribute('aria-label');
    await page.getByRole('combobox', { name: 'Client' }).selectOption('Claude Desktop');
    await expect(page.getByRole('combobox', { name: 'Client' })).toHaveValue('Claude Desktop');
    await expect(chart).toHaveAttribute('aria-label', total!);
    await page.getByRole('combobox', { name: 'Client' }).selectOption('');
    await app.screenshot('activity-main');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('activity-main-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The audit window: the same chart; hovering shows exact values, a click picks the minute.
    await page.evaluate((id) => (window.location.hash = `#/audit?project=${id}`), project.id);
    const auditChart = page.getByTestId('activity-chart');
    await expect(auditChart.locator('canvas')).toBeVisible();
    const over = auditChart.locator('.u-over');
    const box = (await over.boundingBox())!;
    // Walk left minute by minute until the legend shows this test's calls (the clock may
    // have moved into a new, empty minute since they were made).
    const legendCalls = auditChart.locator('.u-legend .u-series').nth(1);
    let x = box.width - 2;
    for (let k = 0; k < 60; k++, x -= box.width / 60) {
      await over.hover({ position: { x, y: box.height / 2 } });
      if (/Calls\s*[1-9]\d*/.test(await legendCalls.innerText())) break;
    }
    await expect(legendCalls).toContainText(/Calls\s*[1-9]\d*/);
    await app.screenshot('activity-audit-hover');
    await over.click({ position: { x, y: box.height / 2 } });
    await expect(page.getByTestId('audit-span')).toBeVisible();
    const rows = page.getByTestId('audit-row');
    await expect(rows.filter({ hasText: 'tools/call · echo' }).first()).toBeVisible();
    await app.screenshot('activity-audit-picked');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('activity-audit-picked-dark');
  } finally {
    await client.close();
  }
});

test('live attention rows from the real files: a recorded sign-in and an expiring token', async ({
  app,
}) => {
  const oauth = await addProject(app, 'acme', 'https://mcp.acme.test/mcp', '--auth', 'oauth');
  const bearer = await addProject(app, 'beta', 'https://mcp.beta.test/mcp', '--auth', 'bearer');
  const token = await app.cli(
    ['token', 'add', 'beta', '--name', 'ci', '--expires', '2d', '--token-stdin'],
    { stdin: 'beta_tok_0123456789abcdefghij' },
  );
  expect(token.code, token.stderr).toBe(0);
  // What a bridge records when the refresh token is rejected.
  await writeAuthStatus(app.dataDir, oauth.id, {
    status: 'sign-in-needed',
    message: 'the refresh token was rejected; sign in again.',
  });
  await expect
    .poll(async () =>
      (await app.trayMenu()).filter((i) => i.id.startsWith('attention:')).map((i) => i.id),
    )
    .toEqual([`attention:${oauth.id}:sign-in`, `attention:${bearer.id}:token`, 'attention:snooze']);
  const menu = await app.trayMenu();
  expect(label(menu, `attention:${oauth.id}:sign-in`)).toBe('⚠ Sign in — acme: sign-in needed');
  expect(label(menu, `attention:${bearer.id}:token`)).toBe(
    '⚠ Rotate token — beta: token expiring soon',
  );
  expect(label(menu, 'header')).toBe(
    'Switchboard — 2 projects, 0 clients active, 2 need attention',
  );
  if (app.showTray) {
    const tray = await app.showTray();
    await expect(tray.locator('img[data-status="attention"]')).toBeVisible();
    await saveTrayShot(app, tray, 'live-sign-in-and-expiring-token');
  }
  // Snoozed from the tray: the menu says so; the rows stay until they are fixed.
  expect(await app.trayAction('attention:snooze')).toEqual({
    ok: true,
    message: 'Notifications snoozed for a day.',
  });
  expect(label(await app.trayMenu(), 'attention:snoozed')).toBe(
    'Notifications for these are snoozed for a day',
  );
  // Signed in again: the row goes, the token row stays.
  await writeAuthStatus(app.dataDir, oauth.id, undefined);
  await expect
    .poll(async () => findTrayItem(await app.trayMenu(), `attention:${oauth.id}:sign-in`))
    .toBeUndefined();
  expect(label(await app.trayMenu(), 'attention')).toBe('Needs attention (1)');
  // Nothing secret reached the tray.
  expect(JSON.stringify(await app.trayMenu())).not.toContain('beta_tok_0123456789abcdefghij');
});
