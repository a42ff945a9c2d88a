import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startMcpTestServer, type McpTestServer } from '../../app/testing/mcp-test-server';
import { expect, test } from '../fixtures';

// Issue 17 §3 and §4 in the window: a preset in the add-project flow, and a migration of an
// existing supergateway entry (plus mcp-remote's plaintext token file) in the doctor panel.
let server: McpTestServer;
const AGENT_TOKEN = 'mcp_agt_' + 'E2ePresetToken0123456789abcdefgh';
test.beforeEach(async () => {
  server = await startMcpTestServer({ token: AGENT_TOKEN });
});
test.afterEach(async () => {
  await server.close();
});

test('add a project from a preset: the preset names the secret it needs', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Add project' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a project' });
  await dialog.getByLabel('Kind of server').selectOption({ label: 'MCP proxy agent token' });
  await expect(dialog.getByTestId('preset-summary')).toContainText('agent tokens (mcp_agt_…)');
  await dialog.getByLabel('Server URL').fill(server.url);
  await dialog.getByLabel('Name', { exact: true }).fill('proxy');
  await app.screenshot('add-flow-preset-kind');
  await dialog.getByRole('button', { name: 'Test and continue' }).click();
  await expect(dialog.getByTestId('test-result')).toContainText('Sign-in required');
  const field = dialog.getByLabel('Agent token (bearer token)');
  await field.fill(AGENT_TOKEN);
  await expect(field).toHaveAttribute('type', 'password');
  await app.screenshot('add-flow-preset');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog).toContainText('MCP proxy agent token');
  await dialog.getByRole('button', { name: 'Save project' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('project-proxy')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(AGENT_TOKEN);
  // The clients panel says in one line what a client needs besides the entry.
  await page.getByTestId('project-proxy').click();
  await expect(page.getByTestId('client-needs-gemini')).toContainText(
    'Gemini CLI turns MCP servers off in folders you have not trusted',
  );

  // The token went to the secret store and works from another process.
  const tested = await app.cli(['test', 'proxy', '--json']);
  expect(tested.code, tested.stderr).toBe(0);
  expect(server.seen.at(-1)?.authorized).toBe(true);
});

test('doctor migrates a supergateway entry and reports mcp-remote’s plaintext tokens', async ({
  app,
}) => {
  const { page, home } = app;
  const secret = 'sgw_' + 'E2eMigrationToken0123456789abcdef';
  const file = path.join(home, '.codeium', 'windsurf', 'mcp_config.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(
    file,
    JSON.stringify(
      {
        mcpServers: {
          'team-tools': {
            command: 'npx',
            args: [
              '-y',
              'supergateway',
              '--streamableHttp',
              'https://tools.example.com/mcp',
              '--oauth2Bearer',
              secret,
            ],
          },
        },
      },
      null,
      2,
    ),
  );
  const hash = createHash('md5').update('https://notion.example.com/mcp').digest('hex');
  const authDir = path.join(home, '.mcp-auth', 'mcp-remote-0.1.29');
  await fs.mkdir(authDir, { recursive: true });
  const access = 'mra_' + 'E2eAccessTokenValue0123456789abcd';
  await fs.writeFile(
    path.join(authDir, `${hash}_tokens.json`),
    JSON.stringify({ access_token: access, token_type: 'Bearer' }),
  );
  await page.reload();
  const doctor = page.getByRole('region', { name: 'Client config check' });
  await expect(doctor.getByTestId('finding-plaintext-oauth-tokens')).toContainText(
    'access_token, token_type',
  );
  const finding = doctor.getByTestId('finding-plaintext-secret');
  await expect(finding).toContainText('--oauth2Bearer argument');
  await expect(page.locator('body')).not.toContainText(secret);
  await expect(page.locator('body')).not.toContainText(access);
  await finding.getByRole('button', { name: 'Move to Switchboard…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Creates project "team-tools"');
  await expect(dialog).not.toContainText(secret);
  await app.screenshot('doctor-migration');
  await dialog.getByRole('button', { name: 'Apply fix' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('project-team-tools')).toBeVisible();
  expect(await fs.readFile(file, 'utf8')).not.toContain(secret);
  expect(await fs.readFile(file, 'utf8')).toContain('"--project"');
  await app.screenshot('doctor-migrated');
});
