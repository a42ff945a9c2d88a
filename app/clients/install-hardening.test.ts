import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { clientsIn } from './test-support.js';

// Issue 16 items 12, 16 and 17: install safety against a corrupt ledger, symlinks and a
// previous Switchboard process killed mid-install. Real files in a temp HOME.
let tmp: TempHome;
beforeEach(async () => (tmp = await makeTempHome('sb-install-hard-')));
afterEach(() => tmp.cleanup());

const cursorFile = () => path.join(tmp.home, '.cursor', 'mcp.json');
/** A pid that is certainly dead: a child that already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('install safety', () => {
  it('a corrupt installs.json stops the install before the client config is touched (item 12)', async () => {
    const { clients, projects } = clientsIn(tmp);
    await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    await fs.mkdir(path.dirname(cursorFile()), { recursive: true });
    await fs.writeFile(cursorFile(), '{ "mcpServers": {} }\n');
    const ledger = path.join(tmp.dataDir, 'clients', 'installs.json');
    await fs.mkdir(path.dirname(ledger), { recursive: true });
    await fs.writeFile(ledger, '{ "version": 1, "installs": [ oops');
    await expect(clients.install({ client: 'cursor' }, 'acme')).rejects.toThrow(/installs\.json/);
    expect(await fs.readFile(cursorFile(), 'utf8')).toBe('{ "mcpServers": {} }\n');
    // The corrupt ledger is never overwritten either.
    expect(await fs.readFile(ledger, 'utf8')).toBe('{ "version": 1, "installs": [ oops');
  });

  it('keeps a dangling symlinked config a link, and uninstall restores it (item 16)', async () => {
    const { clients, projects } = clientsIn(tmp);
    await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const target = path.join(tmp.home, 'dotfiles', 'cursor-mcp.json');
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(path.dirname(cursorFile()), { recursive: true });
    await fs.symlink(target, cursorFile());
    await clients.install({ client: 'cursor' }, 'acme');
    expect((await fs.lstat(cursorFile())).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, 'utf8')).toContain('"acme"');
    await clients.uninstall({ client: 'cursor' }, 'acme');
    expect((await fs.lstat(cursorFile())).isSymbolicLink()).toBe(true);
    await expect(fs.access(target)).rejects.toThrow(/ENOENT/);
  });

  it('redacts secrets anywhere in the diff of a config that is really another JSON file (item 16)', async () => {
    const { clients, projects } = clientsIn(tmp);
    await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const aws = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY';
    const other = path.join(tmp.home, 'creds.json');
    await fs.writeFile(
      other,
      `{\n  "aws_secret_access_key": "${aws}",\n  "region": "eu-west-1"\n}\n`,
    );
    await fs.mkdir(path.dirname(cursorFile()), { recursive: true });
    await fs.symlink(other, cursorFile());
    const plan = await clients.planInstall({ client: 'cursor' }, 'acme');
    expect(plan.diff).toContain('aws_secret_access_key');
    expect(plan.diff).toContain('eu-west-1');
    expect(plan.diff).not.toContain(aws);
  });

  it("after a kill -9: stale temp files are cleaned, backups are whole, a dead holder's lock is taken over (item 17)", async () => {
    const { clients, projects } = clientsIn(tmp);
    await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    await fs.mkdir(path.dirname(cursorFile()), { recursive: true });
    await fs.writeFile(cursorFile(), '{ "mcpServers": {} }\n');
    // What a Switchboard killed mid-install leaves: its temp file next to the config, and its
    // lock (fresh, so not stale by age) with its pid beside it.
    const pid = deadPid();
    const temp = path.join(path.dirname(cursorFile()), `.mcp.json.switchboard-${pid}.tmp`);
    await fs.writeFile(temp, '{ "half": ');
    const lockDir = path.join(tmp.dataDir, 'clients', 'locks');
    const hash = crypto.createHash('sha256').update(path.resolve(cursorFile())).digest('hex');
    const lock = path.join(lockDir, `${hash.slice(0, 16)}.lock`);
    await fs.mkdir(lock, { recursive: true });
    await fs.writeFile(`${lock}.owner`, `${pid} ${(await import('node:os')).hostname()}\n`);
    // The CLI is given 8 s: the old staleness wait alone was 10 s.
    const env = { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' };
    const r = await runCliProcess(['install', 'cursor', 'acme', '--yes'], { env, timeoutMs: 8000 });
    expect(r.code, r.stderr).toBe(0);
    expect(await fs.readFile(cursorFile(), 'utf8')).toContain('"acme"');
    await expect(fs.access(temp)).rejects.toThrow(/ENOENT/);
    const names = await fs.readdir(path.dirname(cursorFile()));
    expect(names.filter((n) => n.includes('.switchboard-'))).toEqual([]);
    // The backup holds the whole original.
    const backups = await clients.backups.list(cursorFile());
    expect(backups).toHaveLength(1);
    expect(await fs.readFile(backups[0]!, 'utf8')).toBe('{ "mcpServers": {} }\n');
  });
});
