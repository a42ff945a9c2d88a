import fs from 'node:fs/promises';
import path from 'node:path';
import { autostartPath } from '../../app/platform/autostart';
import { findTrayItem } from '../../app/tray/tray-model';
import { startIssuerServer, type IssuerServer } from '../../app/testing/token-issuer-server';
import { INSECURE_SECRETS_FILE } from '../../app/vault/file-store';
import { expect, test } from '../fixtures';

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

let issuer: IssuerServer | undefined;
test.afterEach(async () => {
  await issuer?.close();
  issuer = undefined;
});

test('launch at login writes and removes the autostart entry in HOME', async ({ app }) => {
  const { page } = app;
  const entry = autostartPath(app.env);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  // The safe choice has focus when the panel opens.
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  const box = dialog.getByRole('checkbox', { name: 'Launch at login' });
  await expect(box).toBeEnabled();
  await expect(box).not.toBeChecked();
  expect(await exists(entry)).toBe(false);

  await box.check();
  await expect(box).toBeChecked();
  await expect.poll(() => exists(entry)).toBe(true);
  const text = await fs.readFile(entry, 'utf8');
  expect(text).toContain('[Desktop Entry]');
  expect(text).toMatch(/^Exec=.*--hidden$/m);
  // The tray reads the same entry.
  expect(findTrayItem(await app.trayMenu(), 'launch-at-login')).toMatchObject({ checked: true });
  await app.screenshot('launch-at-login-on');

  // Keyboard: Space toggles the focused checkbox off again.
  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).not.toBeChecked();
  await expect.poll(() => exists(entry)).toBe(false);

  // Escape closes the panel and focus returns to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();
});

test('switching the secret store to the plain file and back keeps the token working', async ({
  app,
}) => {
  const { page } = app;
  issuer = await startIssuerServer();
  const token = issuer.issue('settings');
  const added = await app.cli(
    ['project', 'add', 'gateway', '--url', issuer.mcpUrl, '--token-stdin'],
    {
      stdin: token,
    },
  );
  expect(added.code, added.stderr).toBe(0);
  const file = path.join(app.dataDir, INSECURE_SECRETS_FILE);
  const works = async () => {
    const r = await app.cli(['test', 'gateway', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = await app.cli(['token', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'default', status: 'active' }]);
  };
  await works();
  const banner = page.getByRole('alert').filter({ hasText: 'Insecure secret storage' });
  await expect(page.getByTestId('token-default')).toContainText('Active');
  await expect(banner).toHaveCount(0);

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const secretsRegion = dialog.getByRole('region', { name: 'Secret storage' });
  await expect(dialog.getByTestId('secret-store')).toContainText('OS keychain');
  await dialog.getByRole('button', { name: 'Store secrets in a plain file…' }).click();

  const confirm = page.getByRole('dialog', { name: 'Store secrets in a plain file?' });
  await expect(confirm).toContainText('Anyone who can read your home folder can read them');
  await expect(confirm).toContainText('1 stored secret');
  // Cancel is the default; Escape closes only the confirmation and changes nothing.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  expect(await exists(file)).toBe(false);

  await dialog.getByRole('button', { name: 'Store secrets in a plain file…' }).click();
  await app.screenshot('secret-store-confirm');
  await confirm.getByRole('button', { name: 'Use the plain file' }).click();
  await expect(confirm).toBeHidden();
  await expect(secretsRegion.getByRole('status')).toContainText(
    '1 secret moved to the plain file.',
  );
  await expect(dialog.getByTestId('secret-store')).toContainText('Plain file (insecure)');
  await expect(dialog).toContainText('chosen in Settings');
  await expect(banner).toBeVisible();
  expect(await exists(file)).toBe(true);
  expect(await fs.readFile(file, 'utf8')).toContain(token);
  await app.screenshot('secret-store-file');
  const shown = await app.cli(['settings', '--json']);
  expect(JSON.parse(shown.stdout)).toMatchObject({ secretStore: 'file' });
  await works();

  await dialog.getByRole('button', { name: 'Move secrets to the OS keychain…' }).click();
  const back = page.getByRole('dialog', { name: 'Move secrets to the OS keychain?' });
  await expect(back.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await back.getByRole('button', { name: 'Move to keychain' }).click();
  await expect(back).toBeHidden();
  await expect(secretsRegion.getByRole('status')).toContainText(
    '1 secret moved to the OS keychain.',
  );
  await expect(dialog.getByTestId('secret-store')).toContainText('OS keychain');
  await expect(banner).toHaveCount(0);
  expect(await exists(file)).toBe(false);
  await works();
  // The value is never rendered anywhere on the page.
  expect(await page.content()).not.toContain(token);
});
