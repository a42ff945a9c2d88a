import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/** Where mcp-remote 0.15.1 keeps its files under a HOME (`getConfigDir()`). */
export const mcpRemoteConfigDir = (home: string) => path.join(home, '.mcp-auth', 'mcp-remote-v1');

/**
 * Signs in with the real mcp-remote 0.15.1 (`mcp-remote-client <url>`: connect, OAuth in the
 * "browser", list tools, exit), so its plaintext files are what mcp-remote itself writes. It runs
 * in a private network namespace with only loopback (it must never reach the internet); the test
 * server of the outer namespace is reached through a Unix-socket relay on the same port. Its
 * browser is the tests' fetch browser (follows the auto-approving AS's redirects), found where
 * mcp-remote looks for one on Linux. Its environment is what an MCP client gives a stdio server.
 */
export async function signInWithRealMcpRemote(opts: {
  home: string;
  mcpUrl: string;
  /** More mcp-remote arguments after the URL (`--resource …`, `--header …`). */
  args?: string[];
  timeoutMs?: number;
}): Promise<{ stderr: string }> {
  const port = Number(new URL(opts.mcpUrl).port);
  const socketPath = path.join(opts.home, `.as-relay-${process.pid}.sock`);
  const relay = net.createServer((outer) => {
    const inner = net.connect(port, '127.0.0.1');
    outer.pipe(inner).pipe(outer);
    outer.on('error', () => inner.destroy());
    inner.on('error', () => outer.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(socketPath, resolve);
  });
  const bin = path.join(opts.home, '.fetch-browser-bin');
  await fs.mkdir(bin, { recursive: true });
  const browser = path.join(bin, 'browser');
  const script = path.join(REPO_ROOT, 'app', 'testing', 'fetch-browser.mjs');
  await fs.writeFile(browser, `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`, {
    mode: 0o755,
  });
  // mcp-remote tries `open` (xdg-open → $BROWSER), then gio and x-www-browser from PATH.
  for (const name of ['gio', 'x-www-browser']) {
    await fs.copyFile(browser, path.join(bin, name));
    await fs.chmod(path.join(bin, name), 0o755);
  }
  const client = path.join(
    path.dirname(createRequire(import.meta.url).resolve('mcp-remote/package.json')),
    'dist',
    'client.js',
  );
  const relayScript = path.join(REPO_ROOT, 'app', 'testing', 'unix-relay.mjs');
  const inner = `ip link set lo up && exec "$0" "$@"`;
  const unshare = (await canUnshare(['-n'])) ? ['-n'] : ['-rn'];
  const env: Record<string, string> = {
    HOME: opts.home,
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    BROWSER: browser,
    FETCH_BROWSER_LOG: path.join(opts.home, 'mcp-remote-browser.log'),
  };
  for (const k of ['SHELL', 'TERM', 'USER', 'LOGNAME'])
    if (process.env[k]) env[k] = process.env[k]!;
  try {
    const child = spawn(
      'unshare',
      [
        ...unshare,
        'sh',
        '-c',
        inner,
        process.execPath,
        relayScript,
        String(port),
        socketPath,
        process.execPath,
        client,
        opts.mcpUrl,
        ...(opts.args ?? []),
      ],
      // Its own process group: unshare → relay → mcp-remote-client, all ended together.
      { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL'); // the group is gone already; the leader, to be sure
        }
        resolve('timeout');
      }, opts.timeoutMs ?? 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 'signal');
      });
    });
    if (code !== 0) throw new Error(`mcp-remote-client exited ${code}:\n${stderr.slice(-4000)}`);
    return { stderr };
  } finally {
    relay.close();
    await fs.rm(socketPath, { force: true });
  }
}

async function canUnshare(flags: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn('unshare', [...flags, 'true'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', (c) => resolve(c === 0));
  });
}
