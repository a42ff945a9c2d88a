import { spawnBridge } from '../../app/testing/bridge-process';
import { startOAuthTestServer, type OAuthTestServer } from '../../app/testing/oauth-server';
import { findSecretsInFiles } from '../../app/testing/secret-scan';
import { expect, test } from '../fixtures';

let as: OAuthTestServer;
test.beforeEach(async () => {
  as = await startOAuthTestServer({ accessTtlSeconds: 3600 });
});
test.afterEach(async () => {
  await as.close();
});

test('add an OAuth server, consent, sign in, see the grant, sign-in needed after revocation, sign in again, sign out', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Add project' }).first().click();
  const add = page.getByRole('dialog', { name: 'Add a project' });
  await add.getByLabel('Server URL').fill(as.mcpUrl);
  await add.getByLabel('Name', { exact: true }).fill('docs');
  await add.getByRole('button', { name: 'Test and continue' }).click();
  // The 401 carries resource_metadata: the flow detects OAuth and preselects it.
  await expect(add.getByLabel('OAuth: I sign in in my browser')).toBeChecked();
  await expect(add.getByTestId('oauth-detected')).toContainText(as.issuer);
  await add.getByRole('button', { name: 'Continue' }).click();
  await expect(add.getByText('OAuth (sign in after saving)')).toBeVisible();
  await add.getByRole('button', { name: 'Save project' }).click();
  await expect(add).toBeHidden();

  const panel = page.getByTestId('oauth-panel');
  await expect(panel).toContainText('Not signed in');
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();

  // Consent before anything opens: the facts, the Full scope badge, Cancel focused.
  const consent = page.getByRole('dialog', { name: 'Sign in to docs?' });
  await expect(consent).toContainText(as.mcpUrl);
  await expect(consent).toContainText(as.issuer);
  await expect(consent).toContainText('Registers itself dynamically');
  await expect(consent).toContainText('mcp:admin');
  await expect(consent).toContainText('Full scope');
  await expect(consent.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(as.authorizeRequests).toHaveLength(0);
  await app.screenshot('oauth-consent');
  await consent.getByRole('button', { name: 'Open browser and sign in' }).click();
  await expect(consent).toBeHidden();

  const grant = panel.getByTestId('oauth-grant');
  await expect(panel).toContainText('Signed in', { timeout: 15_000 });
  await expect(grant).toContainText(as.issuer);
  await expect(grant).toContainText('mcp:read mcp:write mcp:admin');
  await expect(grant).toContainText('Refreshes automatically');
  await expect(grant).toContainText(/expires in/);
  expect(as.authorizeRequests).toHaveLength(1);
  await app.screenshot('oauth-grant');

  // The user revokes Switchboard at the server: a bridge's next call finds the refresh refused.
  const list = await app.cli(['project', 'list', '--json']);
  const projectId = (JSON.parse(list.stdout) as Array<{ id: string }>)[0]!.id;
  as.revokeAll();
  const bridge = spawnBridge(projectId, app.env);
  try {
    await bridge.handshake().catch(() => undefined);
    const r = await bridge.request('x', 'tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(r).toMatchObject({ error: { code: -32081 } });
  } finally {
    bridge.kill();
  }
  // The list's status follows auth-status.json by itself; the panel re-reads on focus/reload.
  await expect(page.getByTestId('project-docs')).toContainText('Sign-in needed');
  await page.reload();
  await page.getByTestId('project-docs').click();
  await expect(panel).toContainText('Sign-in needed');
  await app.screenshot('oauth-sign-in-needed');

  // Sign in again: the consent stands (same request), so it goes straight to the browser.
  await panel.getByRole('button', { name: 'Sign in again' }).click();
  await expect(panel).toContainText('Signed in', { timeout: 15_000 });
  await expect(panel).not.toContainText('Sign-in needed');
  await expect(page.getByTestId('project-docs')).toContainText('Signed in');
  expect(as.authorizeRequests).toHaveLength(2);

  await panel.getByRole('button', { name: 'Sign out' }).click();
  const confirm = page.getByRole('dialog', { name: 'Sign out of docs?' });
  await confirm.getByRole('button', { name: 'Sign out' }).click();
  await expect(confirm).toBeHidden();
  await expect(panel).toContainText('Not signed in');
  expect(as.revocations.map((r) => r.kind)).toEqual(['refresh_token', 'access_token']);
  expect(await findSecretsInFiles([app.home, app.dataDir], as.issuedSecrets())).toEqual([]);
});
