import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { clientsIn } from './test-support.js';

let tmp: TempHome;
beforeEach(async () => (tmp = await makeTempHome('sb-clients-safety-')));
afterEach(() => tmp.cleanup());

it('serialises concurrent writers: five installs at once all land in the file', async () => {
  const { projects } = clientsIn(tmp);
  const names = ['a1', 'b2', 'c3', 'd4', 'e5'];
  for (const name of names) await projects.add({ name, url: `https://${name}.example.com/mcp` });
  // Separate service instances, as separate processes (app, CLI) would have.
  await Promise.all(names.map((n) => clientsIn(tmp).clients.install({ client: 'cursor' }, n)));
  const file = path.join(tmp.home, '.cursor', 'mcp.json');
  const doc = parseJsonc(await fs.readFile(file, 'utf8')) as {
    mcpServers: Record<string, unknown>;
  };
  expect(Object.keys(doc.mcpServers).sort()).toEqual(names);
});

it("never shows another entry's plaintext secret in a preview diff", async () => {
  const secret = 'xoxb-' + '1234567890-abcdefghijKLMNOP';
  const { clients, projects } = clientsIn(tmp);
  await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
  const file = path.join(tmp.home, '.cursor', 'mcp.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(
    file,
    `{\n  "mcpServers": {\n    "slack": { "command": "slack-mcp", "env": { "SLACK_BOT_TOKEN": "${secret}" } }\n  }\n}\n`,
  );
  const plan = await clients.planInstall({ client: 'cursor' }, 'acme');
  expect(plan.diff).toContain('slack');
  expect(plan.diff).not.toContain(secret);
  // The file itself is the user's business: install leaves their entry byte-for-byte.
  await clients.install({ client: 'cursor' }, 'acme');
  expect(await fs.readFile(file, 'utf8')).toContain(`"SLACK_BOT_TOKEN": "${secret}"`);
});

it('writes through a symlinked config (dotfile managers) instead of replacing the link', async () => {
  const { clients, projects } = clientsIn(tmp);
  await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
  const real = path.join(tmp.home, 'dotfiles', 'cursor-mcp.json');
  await fs.mkdir(path.dirname(real), { recursive: true });
  await fs.writeFile(real, '{}\n');
  const link = path.join(tmp.home, '.cursor', 'mcp.json');
  await fs.mkdir(path.dirname(link), { recursive: true });
  await fs.symlink(real, link);
  await clients.install({ client: 'cursor' }, 'acme');
  expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
  expect(await fs.readFile(real, 'utf8')).toContain('"acme"');
  await clients.uninstall({ client: 'cursor' }, 'acme');
  expect(await fs.readFile(real, 'utf8')).toBe('{}\n');
});

it('keeps the last five backups per file', async () => {
  const { clients, projects } = clientsIn(tmp);
  await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
  const file = path.join(tmp.home, '.cursor', 'mcp.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '{}\n');
  for (let i = 0; i < 4; i++) {
    await clients.install({ client: 'cursor' }, 'acme');
    await clients.uninstall({ client: 'cursor' }, 'acme');
  }
  const backups = await clients.backups.list(file);
  expect(backups).toHaveLength(5);
  for (const b of backups) expect((await fs.stat(b)).mode & 0o777).toBe(0o600);
});
