import { spawnBridge } from '../../app/testing/bridge-process';
import { startControlPlane, type ControlPlane } from '../../app/testing/control-plane';
import { findSecretsInFiles } from '../../app/testing/secret-scan';
import { expect, test } from '../fixtures';

// The local vendor control plane (app/testing/control-plane.ts): nothing here reaches a vendor.
const API_KEY = `KEY_${'5e6f7a8b'.repeat(5)}`;
let cp: ControlPlane;
test.beforeEach(async () => {
  cp = await startControlPlane({ apiKey: API_KEY });
});
test.afterEach(async () => {
  await cp.close();
});

test('consent → private endpoint → a real bridge reaches it → withdraw → shared', async ({
  app,
}) => {
  const { page } = app;
  const add = await app.cli(
    [
      'project',
      'add',
      'acme',
      '--auth',
      'provisioned',
      '--control-plane',
      cp.url,
      '--shared-url',
      cp.sharedUrl,
      '--api-key-stdin',
    ],
    { stdin: API_KEY },
  );
  expect(add.code, add.stderr).toBe(0);
  await page.getByTestId('project-acme').click();
  const state = page.getByTestId('endpoint-state');
  await expect(state).toContainText('Shared — no consent');
  await app.screenshot('endpoint-shared-no-consent');

  // The consent dialog: Cancel is the default, Escape cancels, nothing is contacted.
  await page.getByRole('button', { name: 'Use a private endpoint…' }).click();
  let dialog = page.getByRole('dialog', { name: /Use a private .* endpoint for acme\?/ });
  await expect(dialog).toContainText('could use the key to do anything the key can do');
  await expect(dialog).toContainText('the shared endpoint');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Store key and deploy' })).toBeDisabled();
  await app.screenshot('consent-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(cp.callCount()).toBe(0);

  // Consent, then progress while the control plane answers 202 a few times.
  cp.setMode('accepted', { pollsUntilReady: 6 });
  await page.getByRole('button', { name: 'Use a private endpoint…' }).click();
  dialog = page.getByRole('dialog', { name: /Use a private .* endpoint for acme\?/ });
  await dialog.getByLabel(/I understand/).check();
  await dialog.getByRole('button', { name: 'Store key and deploy' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Waiting for the function to be ready' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel provisioning' })).toBeVisible();
  await app.screenshot('provisioning-progress');
  await expect(state).toContainText('Private (per-tenant)', { timeout: 20_000 });
  await expect(state).toContainText(cp.tenant.url);
  await expect(page.getByText(`Private endpoint ready: ${cp.tenant.url}`)).toBeVisible();
  await expect(page.getByText('Full-scope provisioning')).toBeVisible();
  await app.screenshot('endpoint-private');

  // A real bridge session reaches the per-tenant server with the shared secret.
  const bridge = spawnBridge('acme', app.env);
  try {
    await bridge.handshake();
    const first = await bridge.request('one', 'tools/call', {
      name: 'echo',
      arguments: { message: 'one' },
    });
    expect(first.error).toBeUndefined();
    expect(cp.tenant.seen.some((s) => s.rpcMethods.includes('tools/call'))).toBe(true);
    expect(cp.shared.seen).toHaveLength(0);

    // Re-provision: a fresh deploy and shared secret; the running bridge picks it up.
    await page.getByRole('button', { name: 'Re-provision' }).click();
    await expect(page.getByText(`Private endpoint ready: ${cp.tenant.url}`)).toBeVisible();
    expect(cp.sharedSecrets).toHaveLength(2);
    await expect
      .poll(async () => {
        const r = await bridge.request(`re-${Date.now()}`, 'tools/call', {
          name: 'echo',
          arguments: { message: 'after re-provision' },
        });
        return r.error === undefined;
      })
      .toBe(true);
    expect(cp.shared.seen).toHaveLength(0);

    // Withdraw: one confirmation, then the separate question about the vendor side.
    await page.getByRole('button', { name: 'Withdraw consent' }).click();
    await page
      .getByRole('dialog', { name: 'Withdraw consent for acme?' })
      .getByRole('button', { name: 'Withdraw consent' })
      .click();
    const remote = page.getByRole('dialog', { name: 'Also delete them in your vendor account?' });
    await expect(remote.getByRole('button', { name: 'Keep them' })).toBeFocused();
    await app.screenshot('withdraw-delete-remote');
    await remote.getByRole('button', { name: 'Keep them' }).click();
    await expect(state).toContainText('Shared — no consent');
    await app.screenshot('endpoint-shared-after-withdrawal');

    // The running bridge is on the shared endpoint now, with the API key.
    await expect
      .poll(() => cp.shared.seen.filter((s) => s.rpcMethods.includes('initialize')).length)
      .toBe(1);
    const second = await bridge.request('two', 'tools/call', {
      name: 'echo',
      arguments: { message: 'two' },
    });
    expect(second.error).toBeUndefined();
    expect(cp.shared.seen.some((s) => s.rpcMethods.includes('tools/call'))).toBe(true);
    expect(cp.deletedFunctions).toEqual([]);
    bridge.closeStdin();
    await bridge.exited;
  } finally {
    bridge.kill();
  }

  // A failed provisioning is shown as such, and the shared endpoint keeps working.
  cp.setMode('500');
  await page.getByRole('button', { name: 'Use a private endpoint…' }).click();
  dialog = page.getByRole('dialog', { name: /Use a private .* endpoint for acme\?/ });
  await dialog.getByLabel(/I understand/).check();
  await dialog.getByRole('button', { name: 'Store key and deploy' }).click();
  await expect(state).toContainText('Shared — provisioning failed: HTTP 500 from the deploy');
  await expect(page.getByRole('alert')).toContainText('Still on the shared endpoint');
  await app.screenshot('endpoint-shared-failed');

  // Settings → Consents lists it; withdrawing there with the second confirmation deletes remotely.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByText('Full-scope provisioning')).toBeVisible();
  await app.screenshot('settings-consents');
  await settings.getByRole('button', { name: 'Withdraw' }).click();
  await page
    .getByRole('dialog', { name: 'Withdraw consent for acme?' })
    .getByRole('button', { name: 'Withdraw consent' })
    .click();
  await page
    .getByRole('dialog', { name: 'Also delete them in your vendor account?' })
    .getByRole('button', { name: 'Delete function and secret' })
    .click();
  await expect(page.getByText('were deleted in your vendor account')).toBeVisible();
  expect(cp.secrets.size).toBe(0);

  expect(await findSecretsInFiles([app.home], [API_KEY, ...cp.sharedSecrets])).toEqual([]);
});

test('the add-project flow offers the vendor preset without contacting the vendor', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Add project' }).first().click();
  await page
    .getByRole('dialog', { name: 'Add a project' })
    .getByRole('button', { name: /Telnyx/ })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add Telnyx' });
  await dialog.getByLabel('Telnyx API key').fill(API_KEY);
  await app.screenshot('add-preset');
  await dialog.getByRole('button', { name: 'Save project' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('endpoint-state')).toContainText('Shared — no consent');
  await expect(page.getByTestId('endpoint-state')).toContainText('https://api.telnyx.com/v2/mcp');
  const show = await app.cli(['project', 'show', 'telnyx', '--json']);
  expect(JSON.parse(show.stdout)).toMatchObject({
    auth: 'provisioned',
    provisioning: { controlPlane: 'https://api.telnyx.com' },
    endpoint: { kind: 'shared', reason: 'shared (no consent)' },
  });
});
