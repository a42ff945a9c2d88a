import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../contract/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices } from '../services.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

let tmp: TempHome;
let dispatch: Dispatch;

beforeEach(async () => {
  tmp = await makeTempHome('sb-clients-ipc-');
  const services = createServices({
    dataDir: tmp.dataDir,
    env: { ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' },
  });
  dispatch = createDispatcher(createHandlers(services));
  await services.projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
});
afterEach(() => tmp.cleanup());

async function ok<T>(channel: string, input?: unknown): Promise<T> {
  const r = await dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

it('previews, installs, lists and uninstalls through the IPC contract (strict outputs pass)', async () => {
  await fs.mkdir(path.join(tmp.home, '.codeium', 'windsurf'), { recursive: true });
  const plan = await ok<{ diff: string; beforeSha256: string; createsFile: boolean }>(
    'clients.preview',
    {
      operation: 'install',
      client: 'windsurf',
      project: 'acme',
    },
  );
  expect(plan.createsFile).toBe(true);
  expect(plan.diff).toContain('"acme"');
  const done = await ok<{ path: string }>('clients.install', {
    client: 'windsurf',
    project: 'acme',
    expectSha256: plan.beforeSha256,
  });
  expect(done.path).toBe(path.join(tmp.home, '.codeium', 'windsurf', 'mcp_config.json'));
  const list =
    await ok<
      { id: string; detected: boolean; configs: { installed: { projectName?: string }[] }[] }[]
    >('clients.list');
  const windsurf = list.find((c) => c.id === 'windsurf')!;
  expect(windsurf.detected).toBe(true);
  expect(windsurf.configs[0]!.installed[0]!.projectName).toBe('acme');

  // A stale preview is refused: the file changed after the user saw the diff.
  const un = await ok<{ beforeSha256: string }>('clients.preview', {
    operation: 'uninstall',
    client: 'windsurf',
    project: 'acme',
  });
  await fs.appendFile(done.path, '\n');
  const stale = await dispatch('clients.uninstall', {
    client: 'windsurf',
    project: 'acme',
    expectSha256: un.beforeSha256,
  });
  expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  const fresh = await ok<{ beforeSha256: string }>('clients.preview', {
    operation: 'uninstall',
    client: 'windsurf',
    project: 'acme',
  });
  await ok('clients.uninstall', {
    client: 'windsurf',
    project: 'acme',
    expectSha256: fresh.beforeSha256,
  });
  expect(await ok('doctor.findings')).toEqual([]);

  const bad = await dispatch('clients.install', {
    client: 'notepad',
    project: 'acme',
    expectSha256: 'x',
  });
  expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
});

it('doctor findings and fix previews come through without secret values', async () => {
  const secret = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
  const file = path.join(tmp.home, '.cursor', 'mcp.json');
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
  const findings = await ok<{ id: string; kind: string; fix?: string }[]>('doctor.findings');
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({ kind: 'plaintext-secret', fix: 'move-to-switchboard' });
  const preview = await ok<{ diff: string; newProject?: string }>('doctor.preview', {
    id: findings[0]!.id,
  });
  expect(preview.newProject).toBe('gh');
  expect(preview.diff).toContain('-      "headers"');
  expect(JSON.stringify([findings, preview])).not.toContain(secret);
  const fixed = await ok<{ newProject?: string }>('doctor.fix', { id: findings[0]!.id });
  expect(fixed.newProject).toBe('gh');
  expect(await fs.readFile(file, 'utf8')).not.toContain(secret);
  expect(await ok('doctor.findings')).toEqual([]);
});
