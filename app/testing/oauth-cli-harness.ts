import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect } from 'vitest';
import { clientLocations } from '../clients/locations.js';
import { runCliProcess, type CliResult } from './run-cli.js';
import { fetchBrowserCommand } from './fetch-browser-command.js';
import type { TempHome } from './temp-home.js';

export interface OAuthCliHarness {
  env: NodeJS.ProcessEnv;
  browserLog: string;
  cli(args: string[], stdin?: string, timeoutMs?: number): Promise<CliResult>;
  ok(args: string[], stdin?: string): Promise<CliResult>;
  /** Lines the fetch browser logged (one per time a browser was opened). */
  browserOpens(): Promise<string[]>;
  /** Installs the project into Claude Desktop and returns the entry it wrote. */
  installEntry(
    project: string,
  ): Promise<{ command: string; args: string[]; env?: Record<string, string> }>;
  /** What an MCP client gives the bridge: a stripped environment plus the entry's env. */
  clientEnv(entryEnv?: Record<string, string>): Record<string, string>;
}

export function oauthCliHarness(tmp: TempHome): OAuthCliHarness {
  const browserLog = path.join(tmp.home, 'browser-opens.log');
  const env: NodeJS.ProcessEnv = {
    ...tmp.env,
    BROWSER: fetchBrowserCommand(),
    FETCH_BROWSER_LOG: browserLog,
  };
  const cli = (args: string[], stdin?: string, timeoutMs?: number) =>
    runCliProcess(args, {
      env,
      ...(stdin !== undefined ? { stdin } : {}),
      timeoutMs: timeoutMs ?? 30_000,
    });
  return {
    env,
    browserLog,
    cli,
    ok: async (args, stdin) => {
      const r = await cli(args, stdin);
      expect(r.code, `switchboard ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    },
    browserOpens: async () =>
      (await fs.readFile(browserLog, 'utf8').catch(() => '')).split('\n').filter(Boolean),
    installEntry: async (project) => {
      const r = await cli(['install', 'claude-desktop', project, '--yes']);
      expect(r.code, r.stderr).toBe(0);
      const file = clientLocations({ platform: 'linux', env, home: tmp.home })['claude-desktop']
        .user[0]!;
      const config = JSON.parse(await fs.readFile(file, 'utf8')) as {
        mcpServers: Record<
          string,
          { command: string; args: string[]; env?: Record<string, string> }
        >;
      };
      return config.mcpServers[project]!;
    },
    clientEnv: (entryEnv = {}) => {
      const keep = ['PATH', 'SHELL', 'TERM', 'USER'] as const;
      const out: Record<string, string> = { HOME: tmp.home };
      for (const k of keep) if (process.env[k]) out[k] = process.env[k] as string;
      // The test keyring runs on a private bus; a desktop client inherits its session's address.
      if (process.env.DBUS_SESSION_BUS_ADDRESS) {
        out.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
      }
      return { ...out, ...entryEnv };
    },
  };
}

/** An SDK stdio client connected to the bridge exactly as the config entry says to spawn it. */
export async function connectThroughEntry(
  entry: { command: string; args: string[]; env?: Record<string, string> },
  env: Record<string, string>,
): Promise<{ client: Client; stderr: () => string; pid: () => number | null }> {
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, pid: () => transport.pid };
}
