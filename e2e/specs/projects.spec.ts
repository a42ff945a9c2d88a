import { expect, test } from '../fixtures';

test('the main window says what to do when there are no projects', async ({ app }) => {
  const empty = app.page.getByRole('heading', { name: 'No projects yet' });
  await expect(empty).toBeVisible();
  await expect(app.page.getByText('switchboard project add')).toBeVisible();
  await app.screenshot('empty');
});

test('projects created through the CLI appear in the main window', async ({ app }) => {
  await expect(app.page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

  const added = await app.cli([
    'project',
    'add',
    'acme-prod',
    '--url',
    'https://mcp.acme.test/mcp',
    '--display-name',
    'Acme production',
    '--json',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const listed = await app.cli(['project', 'list', '--json']);
  expect(JSON.parse(listed.stdout)).toMatchObject([
    { name: 'acme-prod', url: 'https://mcp.acme.test/mcp' },
  ]);

  // Live: the window updates from the file watcher, no reload.
  const row = app.page.getByTestId('project-acme-prod');
  await expect(row).toBeVisible();
  await expect(row).toContainText('Acme production');
  await expect(row).toContainText('Connected');

  await app.cli(['project', 'add', 'local-dev', '--url', 'http://127.0.0.1:8931/mcp']);
  await expect(app.page.getByRole('list', { name: 'Projects' }).getByRole('listitem')).toHaveCount(
    2,
  );
  await app.screenshot('list');
});
