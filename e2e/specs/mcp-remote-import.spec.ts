import fs from 'node:fs/promises';
import path from 'node:path';
import { startOAuthTestServer, type OAuthTestServer } from '../../app/testing/oauth-server';
import { mcpRemoteConfigDir, signInWithRealMcpRemote } from '../../app/testing/real-mcp-remote';
import { expect, test } from '../fixtures';

// Issue 17 §4 in the window: the doctor panel imports the grant real mcp-remote keeps in
// plaintext (the sign-in consent dialog, progress while a call verifies it, the result), then
// offers deleting the plaintext files in a confirmation of its own, Cancel first.
let as: OAuthTestServer;
test.beforeEach(async () => {
  as = await startOAuthTestServer({ accessTtlSeconds: 3600 });
});
test.afterEach(async () => {
  await as.close();
});

test('doctor imports mcp-remote’s plaintext grant into the keychain, then offers to delete the files', async ({
  app,
}) => {
  const { page, home } = app;
  await signInWithRealMcpRemote({ home, mcpUrl: as.mcpUrl });
  const dir = mcpRemoteConfigDir(home);
  const names = (await fs.readdir(dir)).sort();
  expect(names.map((n) => n.replace(/^[0-9a-f]{32}_/, ''))).toEqual([
    'client_info.json',
    'tokens.json',
  ]);
  const added = await app.cli([
    'project',
    'add',
    'team-wiki',
    '--url',
    as.mcpUrl,
    '--auth',
    'oauth',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const tokenValues = as.issuedSecrets();

  await page.reload();
  const doctor = page.getByRole('region', { name: 'Client config check' });
  const finding = doctor
    .getByTestId('finding-plaintext-oauth-tokens')
    .filter({ has: page.getByRole('button', { name: 'Import into keychain…' }) });
  await expect(finding).toContainText('It belongs to project team-wiki');
  await finding.getByRole('button', { name: 'Import into keychain…' }).click();

  const consent = page.getByRole('dialog', {
    name: 'Import the mcp-remote sign-in for team-wiki?',
  });
  await expect(consent).toContainText(as.issuer);
  await expect(consent).toContainText(as.mcpUrl);
  await expect(consent).toContainText('mcp:read');
  await expect(consent).toContainText(path.join(dir, names[1]!));
  await expect(consent.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.screenshot('doctor-import-consent');
  await consent.getByRole('button', { name: 'Import and verify' }).click();

  const remove = page.getByRole('dialog', { name: 'Delete mcp-remote’s plaintext files?' });
  await expect(remove).toBeVisible({ timeout: 20_000 });
  await expect(consent).toBeHidden();
  await expect(
    page.getByText(/Imported mcp-remote's sign-in into project team-wiki/),
  ).toBeVisible();
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(remove).toContainText('a call verified it');
  await expect(page.getByTestId('oauth-panel')).toContainText('Signed in');
  await app.screenshot('doctor-import-delete-confirm');
  for (const t of tokenValues) await expect(page.locator('body')).not.toContainText(t);
  await remove.getByRole('button', { name: 'Delete files' }).click();
  await expect(remove).toBeHidden();
  await expect(page.getByText(/^Deleted /)).toBeVisible();
  expect(await fs.readdir(dir)).toEqual([]);

  // The imported grant works from another process without a new sign-in.
  const tested = await app.cli(['test', 'team-wiki', '--json']);
  expect(tested.code, tested.stdout).toBe(0);
  expect(as.authorizeRequests).toHaveLength(1);
});
