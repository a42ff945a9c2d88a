import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeLifecycleSegments } from '../audit/segment-writer.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import type { ConsentSubject } from './consent.js';
import { CONSENTS_FILE, ConsentService } from './consent-service.js';

const grant: ConsentSubject = {
  kind: 'oauth-grant',
  projectId: 'prj_aaaaaaaaaaaa',
  projectName: 'acme',
  serverUrl: 'https://mcp.acme.example/mcp',
  resource: 'https://mcp.acme.example/mcp',
  issuer: 'https://auth.acme.example',
  clientId: 'dynamic',
  scopes: ['read', 'write'],
};

async function auditText(dataDir: string): Promise<string> {
  await closeLifecycleSegments();
  const dir = path.join(dataDir, 'audit');
  const files = await fs.readdir(dir).catch(() => []);
  const texts = await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')));
  return texts.join('');
}

describe('ConsentService', () => {
  let t: TempHome;
  let consents: ConsentService;
  beforeEach(async () => {
    t = await makeTempHome();
    consents = new ConsentService(t.dataDir);
  });
  afterEach(async () => {
    await closeLifecycleSegments();
    await t.cleanup();
  });

  it('asks until recorded; an identical request (scopes in another order) is then granted', async () => {
    expect((await consents.check(grant)).status).toBe('needed');
    const record = await consents.record(grant, 'cli');
    expect(record.id).toMatch(/^con_/);
    expect(record.scopes).toEqual(['read', 'write']);
    const again = await consents.check({ ...grant, scopes: ['write', 'read'], projectName: 'x' });
    expect(again).toEqual({ status: 'granted', record });
  });

  it('asks again and names what changed: new scopes, another issuer, another URL', async () => {
    await consents.record(grant, 'window');
    const changes: Array<[Partial<ConsentSubject>, string]> = [
      [{ scopes: ['read', 'write', 'admin'] }, 'scopes'],
      [{ issuer: 'https://other-as.example' }, 'issuer'],
      [{ serverUrl: 'https://mcp.acme.example/v2' }, 'serverUrl'],
    ];
    for (const [change, field] of changes) {
      const check = await consents.check({ ...grant, ...change });
      expect(check.status).toBe('needed');
      if (check.status === 'needed') expect(check.changed).toEqual([field]);
    }
  });

  it('keeps one record per project and kind; kinds do not mix', async () => {
    await consents.record(grant, 'cli');
    const second = await consents.record({ ...grant, scopes: ['read'] }, 'cli');
    const provisioning = await consents.record(
      {
        kind: 'full-scope-provisioning',
        projectId: grant.projectId,
        projectName: 'acme',
        serverUrl: 'https://api.vendor.example/v2/mcp',
        keyFingerprint: 'abcdef012345',
        controlPlane: 'https://api.vendor.example',
      },
      'cli',
    );
    const all = await consents.forProject(grant.projectId);
    expect(all.map((c) => c.id).sort()).toEqual([second.id, provisioning.id].sort());
    expect(await consents.forProject(grant.projectId, 'oauth-grant')).toEqual([second]);
  });

  it('revoke runs the kind’s handler before forgetting; a failing handler keeps the record', async () => {
    const record = await consents.record(grant, 'cli');
    consents.onWithdraw('oauth-grant', async () => {
      throw new Error('revocation endpoint down');
    });
    await expect(consents.revoke(record.id, { source: 'cli' })).rejects.toThrow(/down/);
    expect(await consents.list()).toHaveLength(1);

    const seen: string[] = [];
    consents.onWithdraw('oauth-grant', async (r, opts) => {
      seen.push(`${r.id}:${opts.deleteRemote === true}`);
    });
    await consents.revoke(record.id, { source: 'window', deleteRemote: true });
    expect(seen).toEqual([`${record.id}:true`]);
    expect(await consents.list()).toEqual([]);
    await expect(consents.revoke(record.id, { source: 'cli' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('writes consent-given and consent-withdrawn audit events naming what was consented to', async () => {
    const record = await consents.record(grant, 'cli');
    await consents.revoke(record.id, { source: 'cli' });
    const text = await auditText(t.dataDir);
    const kinds = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; detail?: Record<string, unknown> });
    expect(kinds.map((e) => e.kind)).toEqual(['consent-given', 'consent-withdrawn']);
    expect(kinds[0]?.detail).toMatchObject({
      consentId: record.id,
      issuer: grant.issuer,
      scopes: 'read write',
    });
  });

  it('never overwrites a corrupt ledger', async () => {
    await fs.mkdir(t.dataDir, { recursive: true });
    const file = path.join(t.dataDir, CONSENTS_FILE);
    await fs.writeFile(file, '{"version":1,"consents":[{"id":');
    await expect(consents.record(grant, 'cli')).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
    expect(await fs.readFile(file, 'utf8')).toBe('{"version":1,"consents":[{"id":');
  });
});
