import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types; its exports are checked by this test.
import { clientBin, REAL_CLIENTS } from '../../scripts/install-real-clients.mjs';
import { auditMethods } from '../testing/audit-methods.js';
import { withoutSwitchboardVars } from '../testing/client-env.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { clientLocations } from './locations.js';

// Issue 17: real MCP client programs from npm (installed by scripts/install-real-clients.mjs into
// a test-only folder), run in a private network namespace with only loopback (the
// test:clients script), a temp HOME and the real keychain session. Each one is asked to list and
// health-check its MCP servers: install → the client itself says "connected" → the bridge's audit
// log shows the traffic → uninstall → the config file is byte-for-byte what it was.
type RealClient = {
  id: 'gemini' | 'opencode' | 'qwen-code';
  pkg: string;
  version: string;
  bin: string;
};
const CLIENTS = REAL_CLIENTS as RealClient[];
const TOKEN = 'sbt_real_' + 'M4n5B6v7C8x9Z0l1K2j3H4g5F6d7S8a9';

beforeAll(() => {
  if (process.env.SWITCHBOARD_REAL_CLIENTS !== '1') {
    throw new Error('Run this suite with `npm run test:clients` (it installs the clients first).');
  }
  requireKeyringSession();
});

let tmp: TempHome;
let server: McpTestServer;
let work: string;

beforeEach(async () => {
  tmp = await makeTempHome('sb-real-client-');
  server = await startMcpTestServer({ token: TOKEN });
  work = path.join(tmp.home, 'work');
  await fs.mkdir(work, { recursive: true });
});
afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

async function cli(args: string[], stdin?: string) {
  const r = await runCliProcess(args, { env: tmp.env, stdin });
  expect(r.code, `switchboard ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

/** The user's session as a client inherits it: no Switchboard switches (the entry carries them). */
function desktopEnv(): NodeJS.ProcessEnv {
  return { ...withoutSwitchboardVars(tmp.env), NO_COLOR: '1', CI: '1', TERM: 'dumb' };
}

/** Runs a client CLI to completion (bounded), stdin closed, in the work folder. */
function runClient(bin: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: work,
      env: desktopEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${bin} ${args.join(' ')} did not finish in 90 s:\n${out}`));
    }, 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // eslint-disable-next-line no-control-regex -- strip ANSI colours before matching
      resolve({ code, out: out.replace(/\u001b\[[0-9;]*m/g, '') });
    });
  });
}

/** A config the user already had, with their own settings and (JSONC) comments. */
const EXISTING: Record<RealClient['id'], string> = {
  gemini: '{\n  // my Gemini settings\n  "ui": { "theme": "GitHub" },\n  "mcpServers": {}\n}\n',
  opencode: '{\n  "$schema": "https://opencode.ai/config.json",\n  "autoupdate": false\n}\n',
  // Qwen Code migrates a settings file without "$version" on start; users' files have it.
  'qwen-code': '{\n  // Qwen Code\n  "general": { "vimMode": false },\n  "$version": 4\n}\n',
};

describe.each(CLIENTS)('$pkg@$version', (client) => {
  it('install → the client reports the server connected → audited → uninstall is byte-identical', async () => {
    const file = clientLocations({ platform: 'linux', env: tmp.env, home: tmp.home })[
      client.id
    ].user.at(-1)!;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, EXISTING[client.id]);
    const original = await fs.readFile(file);
    if (client.id === 'gemini') {
      // What the user does when Gemini CLI asks (the install note says so): trust the folder.
      await fs.writeFile(
        path.join(tmp.home, '.gemini', 'trustedFolders.json'),
        JSON.stringify({ [work]: 'TRUST_FOLDER' }),
      );
    }
    await cli(['project', 'add', 'acme', '--url', server.url, '--token-stdin'], TOKEN);
    const installed = await cli(['install', client.id, 'acme', '--yes']);
    if (client.id === 'gemini') expect(installed.stdout).toContain('Also needed: Gemini CLI');

    const listed = await runClient(clientBin(client) as string, ['mcp', 'list']);
    const line = listed.out.split('\n').find((l) => /\bacme\b/.test(l) && /connected/i.test(l));
    expect(line, `${client.bin} mcp list said:\n${listed.out}`).toBeDefined();
    expect(line).not.toMatch(/disconnected|failed|disabled/i);
    expect(listed.out).not.toContain(TOKEN);

    // The client's own health check went through the bridge: seen by the server, with our token,
    // and in the bridge's audit log.
    expect(server.seen.length).toBeGreaterThan(0);
    expect(server.seen.every((s) => s.authorized)).toBe(true);
    expect(await auditMethods(tmp.dataDir)).toContain('initialize');
    expect(await findSecretsInFiles([tmp.home], [TOKEN])).toEqual([]);

    await cli(['uninstall', client.id, 'acme', '--yes']);
    expect((await fs.readFile(file)).equals(original)).toBe(true);
  });
});
