import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { switchboardProjectId } from './bridge-command.js';
import { CLIENT_DEFS } from './defs/index.js';
import { clientLocations } from './locations.js';
import { CLIENT_IDS } from './types.js';

let tmp: TempHome;
const run = (args: string[]) => runCliProcess(args, { env: tmp.env });

beforeEach(async () => {
  tmp = await makeTempHome('sb-scopes-');
  const r = await run(['project', 'add', 'acme', '--url', 'https://mcp.acme.test/mcp', '--json']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => tmp.cleanup());

it('Claude Code local scope: ~/.claude.json projects[<dir>].mcpServers, other projects untouched, undone byte-for-byte', async () => {
  const repo = path.join(tmp.home, 'repo');
  await fs.mkdir(repo, { recursive: true });
  const file = path.join(tmp.home, '.claude.json');
  const original =
    JSON.stringify(
      {
        numStartups: 3,
        projects: {
          '/elsewhere': { mcpServers: { theirs: { type: 'stdio', command: 'x' } } },
          [repo]: { allowedTools: [], history: [] },
        },
        mcpServers: {},
      },
      null,
      2,
    ) + '\n';
  await fs.writeFile(file, original);
  const r = await run([
    'install',
    'claude-code',
    'acme',
    '--scope',
    'local',
    '--dir',
    repo,
    '--yes',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const doc = parseJsonc(await fs.readFile(file, 'utf8')) as {
    mcpServers: Record<string, unknown>;
    projects: Record<string, { mcpServers?: Record<string, unknown>; history?: unknown[] }>;
  };
  expect(doc.mcpServers).toEqual({});
  expect(doc.projects['/elsewhere']!.mcpServers).toEqual({
    theirs: { type: 'stdio', command: 'x' },
  });
  expect(doc.projects[repo]!.history).toEqual([]);
  const ours = doc.projects[repo]!.mcpServers!.acme;
  expect(switchboardProjectId(CLIENT_DEFS['claude-code'].readStdio(ours))).toMatch(/^prj_/);

  const listed = await run([
    'uninstall',
    'claude-code',
    'acme',
    '--scope',
    'local',
    '--dir',
    repo,
    '--yes',
  ]);
  expect(listed.code, listed.stderr).toBe(0);
  expect(await fs.readFile(file, 'utf8')).toBe(original);
});

it('project scope: every client with a project file installs there, and says what else it needs', async () => {
  const repo = path.join(tmp.home, 'repo');
  await fs.mkdir(repo, { recursive: true });
  const locs = clientLocations({ platform: 'linux', env: tmp.env, home: tmp.home });
  const withProject = CLIENT_IDS.filter((id) => CLIENT_DEFS[id].scopes.includes('project'));
  expect(withProject.length).toBeGreaterThanOrEqual(12);
  for (const id of withProject) {
    const r = await run([
      'install',
      id,
      'acme',
      '--scope',
      'project',
      '--dir',
      repo,
      '--yes',
      '--json',
    ]);
    expect(r.code, `${id}: ${r.stderr}`).toBe(0);
    const result = JSON.parse(r.stdout) as { path: string; needsNote?: string };
    expect(locs[id].project!(repo)).toContain(result.path);
    if (id === 'claude-code') expect(result.needsNote).toContain('asks before it uses servers');
    if (id === 'gemini') expect(result.needsNote).toContain('not trusted');
    const un = await run(['uninstall', id, 'acme', '--scope', 'project', '--dir', repo, '--yes']);
    expect(un.code, `${id}: ${un.stderr}`).toBe(0);
  }
  // Everything we created is gone again: the repo is as empty as it was.
  expect(await fs.readdir(repo)).toEqual([]);
});

it('a client without that scope says which scopes it has', async () => {
  const r = await run(['install', 'windsurf', 'acme', '--scope', 'local', '--yes']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('Windsurf has no local scope; use --scope user');
});
