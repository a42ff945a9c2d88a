import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import pkg from '../../package.json' with { type: 'json' };

let tmp: TempHome;
const cli = (args: string[], stdin?: string) => runCliProcess(args, { env: tmp.env, stdin });

beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

describe('bin/switchboard', () => {
  it('prints help and version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: switchboard');
    expect(help.stdout).toContain('project');
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('project list --json prints [] on an empty data dir, then the project once written', async () => {
    const empty = await cli(['project', 'list', '--json']);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);

    const add = await cli([
      'project',
      'add',
      'acme',
      '--url',
      'https://mcp.acme.test/mcp',
      '--json',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const listed = JSON.parse((await cli(['project', 'list', '--json'])).stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      name: 'acme',
      url: 'https://mcp.acme.test/mcp',
      connected: true,
    });
    const table = await cli(['project', 'list']);
    expect(table.stdout).toMatch(/acme\s+connected\s+none\s+https:\/\/mcp\.acme\.test\/mcp/);
  });

  it('exits 2 on a usage error and 1 on a failure, with a message on stderr', async () => {
    const usage = await cli(['project', 'frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown command 'frobnicate'");
    const missing = await cli(['project', 'show', 'ghost']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('switchboard project list');
    const badUrl = await cli(['project', 'add', 'x', '--url', 'http://example.com/mcp']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('https');
  });

  it('reports a corrupt projects.json with its path and leaves it untouched', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    const file = path.join(tmp.dataDir, 'projects.json');
    await fs.writeFile(file, '{ not json');
    const list = await cli(['project', 'list', '--json']);
    expect(list.code).toBe(1);
    expect(list.stdout).toBe('');
    expect(list.stderr).toContain(file);
    const add = await cli(['project', 'add', 'acme', '--url', 'https://a.test/mcp']);
    expect(add.code).toBe(1);
    expect(await fs.readFile(file, 'utf8')).toBe('{ not json');
  });

  it('loses nothing when several CLI processes add projects at once', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `p${i}`);
    const results = await Promise.all(
      names.map((n) => cli(['project', 'add', n, '--url', `https://${n}.test/mcp`])),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const listed = JSON.parse((await cli(['project', 'list', '--json'])).stdout) as {
      name: string;
    }[];
    expect(listed.map((p) => p.name).sort()).toEqual(names);
  });
});
