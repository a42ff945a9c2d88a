import { connectBridgeClient } from '../../app/testing/bridge-client';
import { startMcpTestServer } from '../../app/testing/mcp-test-server';
import { openAuditSegment } from '../../app/audit/segment-writer';
import { expect, test } from '../fixtures';

// Real peers end to end: an SDK McpServer over Streamable HTTP on 127.0.0.1, the built
// `switchboard bridge` spawned by the SDK's StdioClientTransport, the bridge's audit segment on
// disk, the real audit store tailing it, and the built renderer in Chromium.
test('a real bridge session shows up live in the audit window; filter, select, see the pair', async ({
  app,
}) => {
  const server = await startMcpTestServer();
  try {
    const added = await app.cli(['project', 'add', 'demo', '--url', server.url]);
    expect(added.code, added.stderr).toBe(0);

    const page = app.page;
    // The audit window is its own, larger window.
    await page.setViewportSize({ width: 1280, height: 760 });
    await page.evaluate(() => (window.location.hash = '#/audit'));
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByText('No events match')).toBeVisible();

    const host = await connectBridgeClient('demo', app.env);
    try {
      const rows = page.getByTestId('audit-row');
      // Live: the session's first messages arrive without any reload.
      await expect(rows.filter({ hasText: 'initialize' }).first()).toBeVisible();

      await host.client.callTool({ name: 'echo', arguments: { message: 'hello audit' } });
      await host.client.listTools();
      await expect(rows.filter({ hasText: 'tools/call · echo' })).toHaveCount(2);
      await expect(rows.filter({ hasText: 'tools/list' })).toHaveCount(2);

      const sessions = page.getByRole('navigation', { name: 'Sessions' });
      await expect(sessions).toContainText('demo');
      await expect(sessions).toContainText('switchboard-test-host');
      await expect(sessions).toContainText('8 events');
      await app.screenshot('window');

      // Filter to the tool: only its request and response remain.
      await page.getByRole('textbox', { name: 'Tool' }).fill('echo');
      await expect(rows).toHaveCount(2);
      await expect(rows.filter({ hasText: 'tools/list' })).toHaveCount(0);

      // Keyboard: Home selects the first (the request); its response shows beside it.
      const list = page.getByRole('listbox', { name: 'Audit events' });
      await list.focus();
      await page.keyboard.press('Home');
      await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
      const detail = page.getByTestId('audit-detail');
      await expect(detail.getByRole('heading', { name: 'tools/call · echo' })).toBeVisible();
      await expect(detail.getByRole('figure', { name: 'Request' })).toContainText('"hello audit"');
      await expect(detail.getByRole('figure', { name: 'Response' })).toContainText(
        'Echo: hello audit',
      );
      await expect(detail).toContainText('switchboard-test-host');
      await app.screenshot('detail');
      await page.emulateMedia({ colorScheme: 'dark' });
      await app.screenshot('detail-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // ArrowDown moves to the response: the pair stays the same.
      await page.keyboard.press('ArrowDown');
      await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
      await expect(detail.getByRole('figure', { name: 'Request' })).toContainText('"hello audit"');

      // Presets and status narrow too; an error filter shows nothing for this healthy session.
      await page.getByRole('combobox', { name: 'Status' }).selectOption('error');
      await expect(page.getByText('No events match')).toBeVisible();
      await page.getByRole('combobox', { name: 'Status' }).selectOption('');
      await page.getByRole('radio', { name: '1 h' }).click();
      await expect(page.getByRole('radio', { name: '1 h' })).toHaveAttribute(
        'aria-checked',
        'true',
      );
      await expect(rows).toHaveCount(2);

      // Export the selection.
      await page.getByRole('button', { name: 'Export CSV' }).click();
      await expect(
        page.getByRole('status').filter({ hasText: 'Exported 2 event(s)' }),
      ).toBeVisible();

      // Main opens (or re-points) the window for one project: #/audit?project=<id>.
      await page.evaluate(() => (window.location.hash = '#/audit?project=nobody'));
      await expect(page.getByText('No events match')).toBeVisible();
      await page.evaluate(() => (window.location.hash = '#/audit?project=demo'));
      await expect(page.getByRole('textbox', { name: 'Project' })).toHaveValue('demo');
      await expect(rows).toHaveCount(2);

      // The CLI sees the same store.
      const cli = await app.cli(['audit', '--tool', 'echo', '--json']);
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject([
        { kind: 'request', target: 'echo' },
        { kind: 'response', target: 'echo', status: 'ok' },
      ]);
    } finally {
      await host.close();
    }
  } finally {
    await server.close();
  }
});

test('the virtualized timeline follows the tail until scrolled up, and pages in older events', async ({
  app,
}) => {
  // Volume comes from the real segment writer (a bridge would need 1 200 real tool calls).
  const sink = openAuditSegment({
    dataDir: app.dataDir,
    projectId: 'prj_vol',
    projectName: 'volume',
    sessionId: 'ses_vol',
  });
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      sink.write({
        projectId: 'prj_vol',
        direction: 'client->server',
        kind: 'request',
        method: 'tools/call',
        target: `tool-${i}`,
        id: String(i),
      });
    }
    return sink.flush();
  };
  const page = app.page;
  await page.evaluate(() => (window.location.hash = '#/audit'));
  const rows = page.getByTestId('audit-row');
  const count = page.locator('.audit-count');
  await expect(count).toHaveText('0 event(s)');
  // Live: a burst of 1 200 arrives through the batched feed; the view follows the tail.
  await write(0, 1200);
  await expect(count).toHaveText('1,200 event(s)');
  await expect(rows.filter({ hasText: 'tool-1199' })).toBeInViewport();
  // Only the visible slice is in the DOM.
  expect(await rows.count()).toBeLessThan(80);

  // A fresh window loads the newest page; older ones wait above.
  await page.reload();
  await expect(count).toHaveText('500 event(s) — scroll up for older');
  await expect(rows.filter({ hasText: 'tool-1199' })).toBeInViewport();
  await write(1200, 1210);
  await expect(rows.filter({ hasText: 'tool-1209' })).toBeInViewport();

  // Scroll to the top: older pages load above.
  const list = page.getByRole('listbox', { name: 'Audit events' });
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(count).toHaveText('1,010 event(s) — scroll up for older');
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(count).toHaveText('1,210 event(s)');
  // Scrolled up, new events arrive without yanking the view to the bottom.
  await list.evaluate((el) => (el.scrollTop = 0));
  await write(1210, 1220);
  await expect(count).toHaveText('1,220 event(s)');
  await expect(rows.filter({ hasText: 'tool-0' }).first()).toBeInViewport();
  await expect(rows.filter({ hasText: 'tool-1219' })).not.toBeInViewport();
  await sink.close();
});
