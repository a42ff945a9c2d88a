import {
  issuerProjectArgs,
  startIssuerServer,
  type IssuerServer,
} from '../../app/testing/token-issuer-server';
import { findSecretsInFiles } from '../../app/testing/secret-scan';
import { expect, test } from '../fixtures';

let issuer: IssuerServer;
test.beforeEach(async () => {
  issuer = await startIssuerServer();
});
test.afterEach(async () => {
  await issuer.close();
});

test('add a project with a bearer token through the UI, then rotate the token', async ({ app }) => {
  const { page } = app;
  const first = issuer.issue('first');
  const second = issuer.issue('second');

  await page.getByRole('button', { name: 'Add project' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a project' });
  await dialog.getByLabel('Server URL').fill(issuer.mcpUrl);
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('local');
  await dialog.getByLabel('Name', { exact: true }).fill('gateway');
  await dialog.getByLabel('Display name (optional)').fill('Team gateway');
  await app.screenshot('add-flow-server');
  await dialog.getByRole('button', { name: 'Test and continue' }).click();

  // The server answers 401 without a token: the flow says so and preselects a bearer token.
  await expect(dialog.getByTestId('test-result')).toContainText('Sign-in required');
  await expect(dialog.getByLabel('A bearer token I paste')).toBeChecked();
  await dialog.getByLabel('Token', { exact: true }).fill(first);
  await dialog.getByRole('button', { name: 'Test with this token' }).click();
  await expect(dialog.getByTestId('test-result')).toContainText('Connected');
  await expect(dialog.getByTestId('test-result')).toContainText('echo');
  await app.screenshot('add-flow-auth');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog.getByText('Bearer token (expires: Never)')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save project' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('project-gateway');
  await expect(row).toContainText('Team gateway');
  await expect(row).toContainText('Connected');
  const tokenRow = page.getByTestId('token-default');
  await expect(tokenRow).toContainText('Active');
  await expect(tokenRow).toContainText('Bearer · pasted');
  await app.screenshot('list');

  // The CLI sees the same project and token, and the token works from another process.
  const cliTest = await app.cli(['test', 'gateway', '--json']);
  expect(cliTest.code, cliTest.stderr).toBe(0);
  const fpBefore = (await tokenRow.locator('code').textContent())!.trim();

  await tokenRow.getByRole('button', { name: 'Rotate' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate “default”' });
  await rotate.getByLabel('Token', { exact: true }).fill(second);
  await rotate.getByRole('button', { name: 'Replace token' }).click();
  await expect(rotate).toBeHidden();

  const newRow = page.getByTestId('token-default');
  await expect(newRow).toContainText('Active');
  await expect(newRow.locator('code')).not.toHaveText(fpBefore);
  // The old token stays listed, revoked, under an archived name.
  const revokedRows = page
    .getByRole('row')
    .filter({ has: page.locator('.badge', { hasText: /^\W*Revoked$/ }) });
  await expect(revokedRows).toHaveCount(1);
  await expect(revokedRows).toContainText(fpBefore);
  await app.screenshot('token-panel');

  // Only the new token is sent now.
  const afterRotate = await app.cli(['test', 'gateway', '--json']);
  expect(afterRotate.code, afterRotate.stderr).toBe(0);
  expect(await findSecretsInFiles([app.home], [first, second])).toEqual([]);
  // The page never held the values after the dialogs closed.
  const html = await page.content();
  expect(html).not.toContain(first);
  expect(html).not.toContain(second);
});

test('mint a token through the UI: shown once, then only its fingerprint', async ({ app }) => {
  const { page } = app;
  const add = await app.cli(issuerProjectArgs(issuer, 'minty'));
  expect(add.code, add.stderr).toBe(0);
  const key = await app.cli(
    ['token', 'add', 'minty', '--kind', 'issuer-key', '--name', 'issuer', '--token-stdin'],
    {
      stdin: issuer.adminKey,
    },
  );
  expect(key.code, key.stderr).toBe(0);

  await page.getByTestId('project-minty').getByRole('button').click();
  await expect(page.getByTestId('project-minty')).toContainText('No token');
  await page.getByRole('button', { name: 'Mint token' }).click();
  const shown = page.getByRole('dialog', { name: 'New token “default”' });
  await expect(shown).toBeVisible();
  const value = await shown.getByLabel('Token value').inputValue();
  expect(value).toMatch(/^sbx_/);
  await app.screenshot('shown-once');
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  expect(await page.content()).not.toContain(value);
  await expect(page.getByTestId('token-default')).toContainText('minted');
  await expect(page.getByTestId('project-minty')).toContainText('Connected');

  await page.getByTestId('token-default').getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “default”?' });
  // The safe choice has focus; Escape cancels.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  expect(issuer.liveTokenIds()).toHaveLength(1);
  await page.getByTestId('token-default').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  expect(issuer.liveTokenIds()).toHaveLength(0);
  await expect(page.getByTestId('project-minty')).toContainText('No token');
});
