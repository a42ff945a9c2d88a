import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { startControlPlane, type ControlPlane, type DeployMode } from '../testing/control-plane.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { startMcpTestServer } from '../testing/mcp-test-server.js';
import { spawn } from 'node:child_process';
import { CLI_PATH, REPO_ROOT, runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { KeychainStore } from '../vault/keychain-store.js';
import type { ProvisioningProgress } from './deploy-api.js';
import { ProvisioningFileStore } from './provisioning-file.js';

// Everything runs against the local control plane (app/testing/control-plane.ts) and the real
// Secret Service; nothing here can reach a real vendor.
const API_KEY = `KEY_${'a1b2c3d4'.repeat(5)}`;

let tmp: TempHome;
let cp: ControlPlane;
let services: Services;
const cli = (args: string[], stdin?: string) => runCliProcess(args, { env: tmp.env, stdin });

/** The CLI in a network namespace of its own (`unshare -n`): for anything naming a real vendor. */
function offline(
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-n', process.execPath, CLI_PATH, ...args], {
      env: tmp.env,
      cwd: REPO_ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchboard ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(() => requireKeyringSession());
beforeEach(async () => {
  tmp = await makeTempHome('sb-prov-');
  cp = await startControlPlane({ apiKey: API_KEY });
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
});
afterEach(async () => {
  await cp.close();
  await tmp.cleanup();
});

async function addProject(name = 'acme') {
  const add = await cli(
    [
      'project',
      'add',
      name,
      '--auth',
      'provisioned',
      '--control-plane',
      cp.url,
      '--shared-url',
      cp.sharedUrl,
      '--api-key-stdin',
      '--json',
    ],
    `${API_KEY}\n`,
  );
  expect(add.code, add.stderr).toBe(0);
  expect(add.stdout).not.toContain(API_KEY);
}

async function endpointOf(name = 'acme'): Promise<{ kind: string; url: string; reason: string }> {
  const show = await cli(['project', 'show', name, '--json']);
  expect(show.code, show.stderr).toBe(0);
  return (JSON.parse(show.stdout) as { endpoint: { kind: string; url: string; reason: string } })
    .endpoint;
}

/** `switchboard test`: the same credential provider a bridge uses, so the same endpoint and bearer. */
async function testCall(name = 'acme') {
  const r = await cli(['test', name, '--json']);
  return { ...r, report: JSON.parse(r.stdout) as { ok: boolean; url: string } };
}

/** Every request the MCP endpoints saw carried the bearer that belongs to them, never the other. */
function expectBearersMatchEndpoints() {
  for (const seen of cp.shared.seen) {
    expect(seen.authorization).toBe(`Bearer ${API_KEY}`);
  }
  for (const seen of cp.tenant.seen) {
    expect(seen.authorization).not.toContain(API_KEY);
    expect(cp.sharedSecrets.map((s) => `Bearer ${s}`)).toContain(seen.authorization);
  }
}

describe('adding a provisioned project', () => {
  it('never contacts the control plane, and starts on the shared endpoint without consent', async () => {
    await addProject();
    expect(cp.callCount()).toBe(0);
    expect(await endpointOf()).toEqual({
      kind: 'shared',
      url: cp.sharedUrl,
      reason: 'shared (no consent)',
    });
    const t = await testCall();
    expect(t.code, t.stderr).toBe(0);
    expect(t.report.url).toBe(cp.sharedUrl);
    expect(cp.shared.seen.length).toBeGreaterThan(0);
    expect(cp.tenant.seen).toHaveLength(0);
    expect(cp.callCount()).toBe(0);
    expectBearersMatchEndpoints();
  });

  it('fills the vendor preset, and refuses a preset it does not know (no network at all)', async () => {
    const add = await offline(
      ['project', 'add', 'tx', '--preset', 'telnyx', '--api-key-stdin', '--json'],
      API_KEY,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      url: 'https://api.telnyx.com/v2/mcp',
      auth: 'provisioned',
      provisioning: { controlPlane: 'https://api.telnyx.com', vendor: 'Telnyx' },
    });
    const show = await offline(['project', 'show', 'tx', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({
      endpoint: { kind: 'shared', reason: 'shared (no consent)' },
    });
    // Provisioning the real vendor from a machine without a network: a clear fallback, exit 1.
    const prov = await offline(['provision', 'tx', '--accept-full-scope']);
    expect(prov.code, prov.stderr).toBe(1);
    expect(prov.stderr).toContain('shared (provisioning failed: control plane unreachable');
    expect(prov.stderr).not.toContain(API_KEY);
    const bad = await cli(
      ['project', 'add', 'nope', '--preset', 'acme-cloud', '--api-key-stdin'],
      API_KEY,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('known presets: telnyx');
    const noKey = await cli(['project', 'add', 'nokey', '--preset', 'telnyx']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--api-key-stdin');
    expect((await cli(['project', 'list', '--json'])).stdout).not.toContain('nokey');
  });
});

describe('switchboard provision', () => {
  it('refuses without a TTY unless --accept-full-scope is given, contacting nothing', async () => {
    await addProject();
    const r = await cli(['provision', 'acme']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--accept-full-scope');
    expect(r.stderr).toContain('could use the key to do anything');
    expect(cp.callCount()).toBe(0);
    expect(JSON.parse((await cli(['consent', 'list', '--json'])).stdout)).toEqual([]);
  });

  it.each([
    ['y', 0],
    ['n', 1],
  ] as const)('on a terminal it asks first (answer %s → exit %d)', async (answer, code) => {
    await addProject();
    // A real pseudo-terminal (util-linux `script`), so stdin is a TTY as for a person.
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${CLI_PATH} provision acme`, '/dev/null'],
      {
        env: tmp.env,
        cwd: REPO_ROOT,
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('[y/N]') && !child.stdin.writableEnded) child.stdin.end(`${answer}\n`);
    });
    const exit = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no answer; output:\n${out}`));
      }, 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(exit, out).toBe(code);
    expect(out).toContain('could use the key to do anything the key can do in your account');
    expect(out).toContain('keeps working with your API key');
    expect(out).not.toContain(API_KEY);
    const consents = JSON.parse((await cli(['consent', 'list', '--json'])).stdout) as unknown[];
    expect(consents).toHaveLength(answer === 'y' ? 1 : 0);
    expect(cp.deployed()).toBe(answer === 'y');
    if (answer === 'n') expect(cp.callCount()).toBe(0);
  });

  it('with consent: creates the vendor secret, deploys, and the bridge path uses the per-tenant URL with the shared secret', async () => {
    await addProject();
    const r = await cli(['provision', 'acme', '--accept-full-scope', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'per-tenant',
      url: cp.tenant.url,
      reason: 'per-tenant',
    });
    expect([...cp.secrets.values()].map((s) => s.value)).toEqual([API_KEY]);
    expect(cp.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /v2/compute/secrets',
      'POST /v2/compute/secrets',
      'POST /v2/compute/mcp/deploy',
    ]);
    expect(cp.calls.every((c) => c.authorized)).toBe(true);

    const consents = JSON.parse((await cli(['consent', 'list', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      kind: 'full-scope-provisioning',
      projectName: 'acme',
      controlPlane: cp.url,
      keyFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
      source: 'cli',
    });

    const t = await testCall();
    expect(t.code, t.stderr).toBe(0);
    expect(t.report.url).toBe(cp.tenant.url);
    expect(cp.tenant.seen.length).toBeGreaterThan(0);
    expect(cp.shared.seen).toHaveLength(0);
    expectBearersMatchEndpoints();

    // Audit has the consent event, with the fingerprint and never the key.
    const audit = await cli(['audit', '--json', '--limit', '50']);
    expect(audit.stdout).toContain('consent-given');
    expect(audit.stdout).not.toContain(API_KEY);
  });

  it('a cache hit makes zero control-plane calls; an existing vendor secret is reused after --reset', async () => {
    await addProject();
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const after = cp.callCount();
    const again = await cli(['provision', 'acme']);
    expect(again.code, again.stderr).toBe(0);
    expect((await testCall()).code).toBe(0);
    expect(cp.callCount()).toBe(after);

    const entry = await new ProvisioningFileStore(tmp.dataDir).get(
      (await services.projects.get('acme')).id,
    );
    const oldAccount = entry?.sharedSecretAccount;
    expect(oldAccount).toMatch(/^prv_/);
    const reset = await cli(['provision', 'acme', '--reset']);
    expect(reset.code, reset.stderr).toBe(0);
    const newCalls = cp.calls.slice(after).map((c) => `${c.method} ${c.path}`);
    expect(newCalls).toEqual(['GET /v2/compute/secrets', 'POST /v2/compute/mcp/deploy']);
    expect(cp.secrets.size).toBe(1);
    // The reset discarded the old shared secret; the new one works.
    expect(await new KeychainStore().get(oldAccount!)).toBeUndefined();
    expect(cp.sharedSecrets).toHaveLength(2);
    const t = await testCall();
    expect(t.code, t.stderr).toBe(0);
    expectBearersMatchEndpoints();
  });

  it('falls back to shared with the reason when the control plane fails (exit 1)', async () => {
    await addProject();
    cp.setMode('500');
    const r = await cli(['provision', 'acme', '--accept-full-scope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('shared (provisioning failed: HTTP 500 from the deploy)');
    expect(await endpointOf()).toEqual({
      kind: 'shared',
      url: cp.sharedUrl,
      reason: 'shared (provisioning failed: HTTP 500 from the deploy)',
    });
    const calls = cp.callCount();
    const t = await testCall();
    expect(t.code, t.stderr).toBe(0);
    expect(t.report.url).toBe(cp.sharedUrl);
    // A recorded failure is not a lost cache: using the project does not retry.
    expect(cp.callCount()).toBe(calls);
    expectBearersMatchEndpoints();
  });
});

describe('failure modes (service, real keychain)', () => {
  const modes: Array<[DeployMode, string]> = [
    ['404', 'HTTP 404 from the deploy'],
    ['500', 'HTTP 500 from the deploy'],
    ['missing-url', 'the deploy answer has no url'],
    ['missing-func_id', 'the deploy answer has no func_id'],
    ['missing-shared_secret', 'the deploy answer has no shared_secret'],
    ['network-error', 'control plane unreachable'],
    ['hang', 'no ready endpoint within 2 s'],
  ];
  it.each(modes)('%s → shared with the reason recorded', async (mode, reason) => {
    await addProject();
    cp.setMode(mode);
    const status = await services.provisioning.provision('acme', {
      consentGiven: 'cli',
      deadlineMs: 2000,
    });
    expect(status.kind).toBe('shared');
    expect(status.url).toBe(cp.sharedUrl);
    expect(status.reason).toContain(`shared (provisioning failed: ${reason}`);
    expect(await endpointOf()).toMatchObject({ kind: 'shared', reason: status.reason });
    expect(status.reason).not.toContain(API_KEY);
    for (const s of cp.sharedSecrets) expect(status.reason).not.toContain(s);
  });

  it('a hang is cancellable', async () => {
    await addProject();
    cp.setMode('hang');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const status = await services.provisioning.provision('acme', {
      consentGiven: 'cli',
      signal: abort.signal,
    });
    expect(status.reason).toBe('shared (provisioning failed: cancelled)');
  });

  it.each(['location', 'status_url', 'redeploy'] as const)(
    '202 then ready after polls (via %s) → per-tenant, with progress',
    async (via) => {
      await addProject();
      cp.setMode('accepted', { pollsUntilReady: 3, via });
      const progress: ProvisioningProgress[] = [];
      const status = await services.provisioning.provision('acme', {
        consentGiven: 'window',
        onProgress: (p) => progress.push(p),
      });
      expect(status).toMatchObject({ kind: 'per-tenant', url: cp.tenant.url });
      const waits = progress.filter((p) => p.stage === 'waiting');
      expect(waits.map((p) => p.polls)).toEqual([1, 2, 3]);
      expect(progress.at(-1)?.stage).toBe('ready');
      const polls = cp.calls.filter((c) =>
        via === 'redeploy'
          ? c.path === '/v2/compute/mcp/deploy'
          : c.path.startsWith('/v2/compute/mcp/deploy/status/'),
      );
      expect(polls).toHaveLength(via === 'redeploy' ? 4 : 3);
      expect(cp.calls.every((c) => c.authorized)).toBe(true);
    },
  );
});

describe('consent binding and withdrawal', () => {
  it('asks again after the API key is rotated or the control plane changes', async () => {
    await addProject();
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const rotated = await cli(['token', 'rotate', 'acme', '--token-stdin'], `OTHER_${API_KEY}`);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(await endpointOf()).toMatchObject({ kind: 'shared', reason: 'shared (no consent)' });
    const ask = await services.provisioning.consentRequest('acme');
    expect(ask).toMatchObject({ status: 'needed', changed: ['keyFingerprint'] });
    const calls = cp.callCount();
    const refused = await cli(['provision', 'acme']);
    expect(refused.code).toBe(2);
    expect(cp.callCount()).toBe(calls);

    const rotateBack = await cli(['token', 'rotate', 'acme', '--token-stdin'], API_KEY);
    expect(rotateBack.code).toBe(0);
    expect(await endpointOf()).toMatchObject({ kind: 'per-tenant' });
    const moved = await cli([
      'project',
      'edit',
      'acme',
      '--control-plane',
      'http://127.0.0.1:9/other',
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(await endpointOf()).toMatchObject({ kind: 'shared', reason: 'shared (no consent)' });
    expect((await services.provisioning.consentRequest('acme')).changed).toEqual(
      expect.arrayContaining(['serverUrl', 'controlPlane']),
    );
  });

  it('the URL override wins over per-tenant and shared, with the API key and no control-plane call', async () => {
    const own = await startMcpTestServer({ token: API_KEY });
    try {
      await addProject();
      expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
      const calls = cp.callCount();
      expect((await cli(['project', 'edit', 'acme', '--endpoint-override', own.url])).code).toBe(0);
      expect(await endpointOf()).toEqual({
        kind: 'override',
        url: own.url,
        reason: 'override (project URL override)',
      });
      const t = await testCall();
      expect(t.code, t.stderr).toBe(0);
      expect(own.seen.length).toBeGreaterThan(0);
      expect(own.seen.every((s) => s.authorization === `Bearer ${API_KEY}`)).toBe(true);
      expect(cp.callCount()).toBe(calls);
      expect((await cli(['project', 'edit', 'acme', '--endpoint-override', 'none'])).code).toBe(0);
      expect(await endpointOf()).toMatchObject({ kind: 'per-tenant' });
    } finally {
      await own.close();
    }
  });

  it('withdrawing stops using the per-tenant URL and deletes the shared secret; remote deletion only when asked', async () => {
    await addProject();
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const projectId = (await services.projects.get('acme')).id;
    const account = (await new ProvisioningFileStore(tmp.dataDir).get(projectId))
      ?.sharedSecretAccount;
    expect(await new KeychainStore().get(account!)).toBe(cp.sharedSecrets.at(-1));
    const [consent] = JSON.parse((await cli(['consent', 'list', '--json'])).stdout) as Array<{
      id: string;
    }>;

    const noYes = await cli(['consent', 'revoke', consent!.id]);
    expect(noYes.code).toBe(2);
    const revoke = await cli(['consent', 'revoke', consent!.id, '--yes']);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(await new KeychainStore().get(account!)).toBeUndefined();
    expect(await endpointOf()).toMatchObject({ kind: 'shared', reason: 'shared (no consent)' });
    expect(cp.deletedFunctions).toEqual([]);
    expect(cp.secrets.size).toBe(1);
    const t = await testCall();
    expect(t.report.url).toBe(cp.sharedUrl);

    // Consent again, then withdraw with --delete-remote: the function and the secret go too.
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const [again] = JSON.parse((await cli(['consent', 'list', '--json'])).stdout) as Array<{
      id: string;
    }>;
    const remote = await cli([
      'consent',
      'revoke',
      again!.id,
      '--yes',
      '--delete-remote',
      '--json',
    ]);
    expect(remote.code, remote.stderr).toBe(0);
    expect(cp.deletedFunctions).toHaveLength(1);
    expect(cp.secrets.size).toBe(0);
    expect(cp.deployed()).toBe(false);
    const audit = await cli(['audit', '--json', '--limit', '50']);
    expect(audit.stdout).toContain('consent-withdrawn');
    expectBearersMatchEndpoints();

    // Nothing secret anywhere under HOME (the data dir, audit, configs) after the whole flow.
    const hits = await findSecretsInFiles([tmp.home], [API_KEY, ...cp.sharedSecrets]);
    expect(hits).toEqual([]);
  });

  it('removing the project takes its cached endpoint, shared secret and consent with it', async () => {
    await addProject();
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const projectId = (await services.projects.get('acme')).id;
    const account = (await new ProvisioningFileStore(tmp.dataDir).get(projectId))
      ?.sharedSecretAccount;
    const removed = await cli(['project', 'remove', 'acme', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await new ProvisioningFileStore(tmp.dataDir).get(projectId)).toBeUndefined();
    expect(await new KeychainStore().get(account!)).toBeUndefined();
    expect(JSON.parse((await cli(['consent', 'list', '--json'])).stdout)).toEqual([]);
    expect(cp.deletedFunctions).toEqual([]); // nothing remote without being asked
  });
});
