import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../fixtures';

test('install a project into two clients through the diff preview, then see it installed', async ({
  app,
}) => {
  const { page, home } = app;
  // Two clients present on this "computer": Cursor and Claude Desktop (Linux layout).
  await fs.mkdir(path.join(home, '.cursor'), { recursive: true });
  const claudeDir = path.join(home, '.config', 'Claude');
  await fs.mkdir(claudeDir, { recursive: true });
  const claudeConfig = path.join(claudeDir, 'claude_desktop_config.json');
  const original =
    '{\n  // mine\n  "mcpServers": {\n    "files": { "command": "files-mcp" }\n  }\n}\n';
  await fs.writeFile(claudeConfig, original);
  const added = await app.cli(['project', 'add', 'acme', '--url', 'https://mcp.acme.test/mcp']);
  expect(added.code, added.stderr).toBe(0);

  await page.getByTestId('project-acme').click();
  const panel = page.getByRole('region', { name: 'Clients' });
  const cursor = panel.getByTestId('client-cursor');
  await expect(cursor).toContainText('Not installed');

  // The preview is the consent step: Escape (or Cancel, focused by default) writes nothing.
  await cursor.getByRole('button', { name: 'Install in Cursor' }).click();
  let dialog = page.getByRole('dialog', { name: 'Install in Cursor?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByLabel(/Changes to .*mcp\.json/)).toContainText('+    "acme": {');
  await expect(dialog).toContainText('Creates');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(fs.access(path.join(home, '.cursor', 'mcp.json'))).rejects.toThrow();

  await cursor.getByRole('button', { name: 'Install in Cursor' }).click();
  dialog = page.getByRole('dialog', { name: 'Install in Cursor?' });
  await app.screenshot('preview');
  await dialog.getByRole('button', { name: 'Write config' }).click();
  await expect(dialog).toBeHidden();
  await expect(cursor).toContainText('Installed');

  const claude = panel.getByTestId('client-claude-desktop');
  await claude.getByRole('button', { name: 'Install in Claude Desktop' }).click();
  dialog = page.getByRole('dialog', { name: 'Install in Claude Desktop?' });
  await expect(dialog).toContainText('Quit Claude Desktop from its tray');
  // Context lines show the user's own entries are kept.
  await expect(dialog.getByLabel(/Changes to/)).toContainText('"files"');
  await dialog.getByRole('button', { name: 'Write config' }).click();
  await expect(dialog).toBeHidden();
  await expect(claude).toContainText('Installed');
  await expect(panel.getByRole('status')).toContainText('Installed in Claude Desktop');
  await app.screenshot('installed');

  // The files hold the bridge entry (and the user's comment), and the CLI agrees.
  const written = await fs.readFile(claudeConfig, 'utf8');
  expect(written).toContain('// mine');
  expect(written).toContain('"--project"');
  const listed = await app.cli(['clients', '--json']);
  const installed = (
    JSON.parse(listed.stdout) as {
      id: string;
      configs: { installed: { projectName: string }[] }[];
    }[]
  )
    .filter((c) => c.configs[0]!.installed.some((i) => i.projectName === 'acme'))
    .map((c) => c.id);
  expect(installed).toEqual(['claude-desktop', 'cursor']);

  // Removing goes through the same preview and gives back the original bytes.
  await claude.getByRole('button', { name: 'Remove from Claude Desktop' }).click();
  dialog = page.getByRole('dialog', { name: 'Remove from Claude Desktop?' });
  await dialog.getByRole('button', { name: 'Remove entry' }).click();
  await expect(claude).toContainText('Not installed');
  expect(await fs.readFile(claudeConfig, 'utf8')).toBe(original);
});

test('doctor shows a plaintext secret without its value and moves it into Switchboard', async ({
  app,
}) => {
  const { page, home } = app;
  const secret = 'ghp_' + 'E2eSecretValue0123456789abcdefghijkl';
  const file = path.join(home, '.cursor', 'mcp.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(
    file,
    JSON.stringify(
      {
        mcpServers: {
          gh: { url: 'https://gh.example.com/mcp', headers: { Authorization: `Bearer ${secret}` } },
        },
      },
      null,
      2,
    ),
  );
  await page.reload();
  const doctor = page.getByRole('region', { name: 'Client config check' });
  const finding = doctor.getByTestId('finding-plaintext-secret');
  await expect(finding).toContainText('Plaintext secret');
  await expect(finding).toContainText('headers.Authorization');
  await expect(page.locator('body')).not.toContainText(secret);
  await finding.getByRole('button', { name: 'Move to Switchboard…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Creates project "gh"');
  await expect(dialog).not.toContainText(secret);
  await app.screenshot('doctor-fix');
  await dialog.getByRole('button', { name: 'Apply fix' }).click();
  await expect(dialog).toBeHidden();
  await expect(doctor).toContainText('No problems');
  await expect(page.getByTestId('project-gh')).toBeVisible();
  expect(await fs.readFile(file, 'utf8')).not.toContain(secret);
});
