import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

let tmp: TempHome;
const run = (args: string[]) => runCliProcess(args, { env: tmp.env });

beforeEach(async () => {
  tmp = await makeTempHome('sb-clients-cli-');
  const r = await run(['project', 'add', 'acme', '--url', 'https://mcp.acme.test/mcp']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => tmp.cleanup());

it('clients lists every client id with detection and installed projects', async () => {
  await fs.mkdir(path.join(tmp.home, '.cursor'), { recursive: true });
  expect((await run(['install', 'cursor', 'acme', '--yes'])).code).toBe(0);
  const r = await run(['clients', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const list = JSON.parse(r.stdout) as {
    id: string;
    detected: boolean;
    configs: { installed: { projectName: string }[] }[];
  }[];
  expect(list.map((c) => c.id)).toEqual([
    'claude-desktop',
    'claude-code',
    'cursor',
    'vscode',
    'windsurf',
    'gemini',
    'codex',
    'zed',
    'cline',
    'lm-studio',
    'opencode',
    'cline-cli',
    'qwen-code',
    'copilot-cli',
    'goose',
    'continue',
    'kiro',
    'roo-code',
    'amp',
    'crush',
    'kilo-code',
  ]);
  const cursor = list.find((c) => c.id === 'cursor')!;
  expect(cursor.detected).toBe(true);
  expect(cursor.configs[0]!.installed.map((i) => i.projectName)).toEqual(['acme']);
  expect(list.find((c) => c.id === 'zed')!.detected).toBe(false);
  const table = await run(['clients']);
  expect(table.stdout).toMatch(/cursor\s+yes\s+acme\s+\S+\.cursor\/mcp\.json/);
});

it('clients --os shows every client’s paths on another OS', async () => {
  const mac = await run(['clients', '--os', 'darwin', '--json']);
  expect(mac.code, mac.stderr).toBe(0);
  const rows = JSON.parse(mac.stdout) as { id: string; user: string[]; project: string[] }[];
  expect(rows.length).toBeGreaterThanOrEqual(20);
  expect(rows.find((r) => r.id === 'claude-desktop')!.user).toEqual([
    '~/Library/Application Support/Claude/claude_desktop_config.json',
  ]);
  const win = await run(['clients', '--os', 'win32']);
  expect(win.stdout).toMatch(/goose\s+%APPDATA%\\Block\\goose\\config\\config\.yaml/);
  expect(win.stdout).toContain('%LOCALAPPDATA%\\Packages\\Claude_pzs8sxrjxfjjc');
  const bad = await run(['clients', '--os', 'beos']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--os must be darwin, win32 or linux');
});

it('install refuses without --yes when stdin is not a terminal, and changes nothing', async () => {
  const r = await run(['install', 'cursor', 'acme']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('stdin is not a terminal; pass --yes');
  // The preview was shown before the refusal.
  expect(r.stdout).toContain('"acme"');
  await expect(fs.access(path.join(tmp.home, '.cursor', 'mcp.json'))).rejects.toThrow();
});

it('--dry-run prints the diff and writes nothing; --json describes the plan', async () => {
  const file = path.join(tmp.home, '.gemini', 'settings.json');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '{\n  "theme": "GitHub"\n}\n');
  const dry = await run(['install', 'gemini', 'acme', '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toContain('+  "mcpServers": {');
  expect(dry.stdout).toContain('dry run');
  expect(await fs.readFile(file, 'utf8')).toBe('{\n  "theme": "GitHub"\n}\n');
  const json = await run(['install', 'gemini', 'acme', '--dry-run', '--json']);
  expect(JSON.parse(json.stdout)).toMatchObject({
    operation: 'install',
    client: 'gemini',
    path: file,
    changed: true,
    applied: false,
  });
});

it('project scope writes into --dir; usage errors exit 2 with the fix', async () => {
  const dir = path.join(tmp.home, 'my repo');
  await fs.mkdir(dir);
  const r = await run([
    'install',
    'claude-code',
    'acme',
    '--scope',
    'project',
    '--dir',
    dir,
    '--yes',
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(await fs.readFile(path.join(dir, '.mcp.json'), 'utf8'))).toMatchObject({
    mcpServers: { acme: { type: 'stdio', args: expect.arrayContaining(['bridge', '--project']) } },
  });
  const un = await run([
    'uninstall',
    'claude-code',
    'acme',
    '--scope',
    'project',
    '--dir',
    dir,
    '--yes',
  ]);
  expect(un.code, un.stderr).toBe(0);
  await expect(fs.access(path.join(dir, '.mcp.json'))).rejects.toThrow();

  const bad = await run(['install', 'notepad', 'acme', '--yes']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('claude-desktop claude-code cursor');
  const noScope = await run(['install', 'windsurf', 'acme', '--scope', 'project', '--yes']);
  expect(noScope.code).toBe(2);
  expect(noScope.stderr).toContain('has no project scope');
  const missing = await run(['uninstall', 'cursor', 'acme', '--yes']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no Switchboard entry');
});
