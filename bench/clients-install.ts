/**
 * Client-config install cost on a small typical file and on a realistic large one: a 5 MB `~/.claude.json` (Claude Code
 * keeps per-project history there) with 20 other servers. Measures preview (parse + diff),
 * install (lock, backup, atomic write, re-read, verify) and uninstall in-process, and the
 * whole `switchboard install … --yes` CLI process. Prints JSON.
 * Run: node_modules/.bin/jiti bench/clients-install.ts (needs `npm run build:cli` for the CLI part).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClientsService } from '../app/clients/clients-service.js';
import { ProjectsService } from '../app/projects/projects-service.js';

const RUNS = Number(process.env.SB_BENCH_RUNS ?? 20);
const CLI = path.join(process.cwd(), 'bin', 'switchboard');

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2));
  return { runs: s.length, p50: at(0.5), p95: at(0.95), max: Number(s[s.length - 1]!.toFixed(2)) };
}

async function main() {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-clients-'));
  const dataDir = path.join(home, 'data');
  try {
    const projectsMap: Record<string, unknown> = {};
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      const value = {
        allowedTools: [],
        history: Array.from({ length: 20 }, (_, n) => ({
          display: `prompt ${n} for repo ${i}`,
          pastedContents: {},
        })),
        lastCost: i / 100,
      };
      projectsMap[`/home/ann/src/repo-${i}`] = value;
      size += JSON.stringify(value, null, 2).length;
    }
    const mcpServers = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `server-${i}`,
        { command: 'npx', args: ['-y', `pkg-${i}`] },
      ]),
    );
    const file = path.join(home, '.claude.json');
    const text =
      JSON.stringify({ numStartups: 40, projects: projectsMap, mcpServers }, null, 2) + '\n';
    await fs.writeFile(file, text);

    const projects = new ProjectsService(dataDir);
    await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const clients = new ClientsService({
      dataDir,
      projects,
      platformEnv: { platform: 'linux', env: { HOME: home }, home },
      launcher: { kind: 'dev', nodePath: process.execPath, cliPath: CLI },
    });
    // A typical small config first: ~/.cursor/mcp.json with the same 20 servers.
    const small = path.join(home, '.cursor', 'mcp.json');
    await fs.mkdir(path.dirname(small), { recursive: true });
    await fs.writeFile(small, JSON.stringify({ mcpServers }, null, 2) + '\n');
    const smallInstall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await clients.install({ client: 'cursor' }, 'acme');
      smallInstall.push(performance.now() - t);
      await clients.uninstall({ client: 'cursor' }, 'acme');
    }
    const smallBytes = (await fs.stat(small)).size;

    const preview: number[] = [];
    const install: number[] = [];
    const uninstall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await clients.planInstall({ client: 'claude-code' }, 'acme');
      preview.push(performance.now() - t);
      t = performance.now();
      await clients.install({ client: 'claude-code' }, 'acme');
      install.push(performance.now() - t);
      t = performance.now();
      await clients.uninstall({ client: 'claude-code' }, 'acme');
      uninstall.push(performance.now() - t);
    }
    const identical = (await fs.readFile(file, 'utf8')) === text;

    const cli: number[] = [];
    const env = {
      ...process.env,
      HOME: home,
      SWITCHBOARD_HOME: dataDir,
      XDG_CONFIG_HOME: path.join(home, '.config'),
    };
    for (let i = 0; i < 5; i++) {
      for (const op of ['install', 'uninstall']) {
        const t = performance.now();
        const r = spawnSync(process.execPath, [CLI, op, 'claude-code', 'acme', '--yes'], {
          env,
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(r.stderr);
        if (op === 'install') cli.push(performance.now() - t);
      }
    }
    process.stdout.write(
      JSON.stringify(
        {
          benchmark: 'clients-install',
          small: { fileBytes: smallBytes, installMs: stats(smallInstall) },
          fileBytes: Buffer.byteLength(text),
          otherServers: 20,
          previewMs: stats(preview),
          installMs: stats(install),
          uninstallMs: stats(uninstall),
          byteIdenticalAfterRuns: identical,
          cliInstallProcessMs: stats(cli),
          node: process.version,
          cpus: os.cpus().length,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

await main();
