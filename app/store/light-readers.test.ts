import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectsReader } from '../projects/projects-file.js';
import { ProjectsService } from '../projects/projects-service.js';
import { readSettings } from '../settings/settings-file.js';
import { SettingsService } from '../settings/settings-service.js';
import { SwitchboardError } from '../shared/errors.js';
import { TokenRecordsReader } from '../tokens/tokens-file.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// The bridge reads the data files without zod (app/store/shape.ts); these readers must see
// what the zod-validated services wrote, and refuse a mangled file the same way.
let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

const tokensFile = () => path.join(tmp.dataDir, 'tokens.json');

async function writeTokens(tokens: unknown[]) {
  await fs.mkdir(tmp.dataDir, { recursive: true });
  await fs.writeFile(tokensFile(), JSON.stringify({ version: 1, tokens }, null, 2));
}

const record = (over: Record<string, unknown> = {}) => ({
  id: 'tok_aaaaaaaaaaaa',
  projectId: 'prj_aaaaaaaaaaaa',
  name: 'default',
  kind: 'bearer',
  source: 'pasted',
  fingerprint: '0123456789ab',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  ...over,
});

describe('zod-free readers', () => {
  it('ProjectsReader finds what ProjectsService wrote, by name or id', async () => {
    const added = await new ProjectsService(tmp.dataDir).add({
      name: 'acme',
      url: 'http://127.0.0.1:9/mcp',
      headers: { 'X-Team': 'a' },
    });
    const reader = new ProjectsReader(tmp.dataDir);
    expect(await reader.get('acme')).toEqual(added);
    expect(await reader.find(added.id)).toEqual(added);
    await expect(reader.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a projects.json with a mistyped field, naming the file and the field', async () => {
    const service = new ProjectsService(tmp.dataDir);
    await service.add({ name: 'acme', url: 'http://127.0.0.1:9/mcp' });
    const file = service.store.path;
    const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { projects: object[] };
    doc.projects[0] = { ...doc.projects[0], connected: 'yes' };
    const text = JSON.stringify(doc);
    await fs.writeFile(file, text);
    const error = await new ProjectsReader(tmp.dataDir).get('acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toMatchObject({ code: 'CORRUPT_STORE' });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('projects.0.connected');
    expect(await fs.readFile(file, 'utf8')).toBe(text);
  });

  it('refuses a newer format and a file that is not JSON', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    const file = path.join(tmp.dataDir, 'projects.json');
    await fs.writeFile(file, JSON.stringify({ version: 2, projects: [] }));
    await expect(new ProjectsReader(tmp.dataDir).find('x')).rejects.toMatchObject({
      code: 'NEWER_STORE',
    });
    await fs.writeFile(file, '{"version": 1, "projects": [');
    await expect(new ProjectsReader(tmp.dataDir).find('x')).rejects.toMatchObject({
      code: 'CORRUPT_STORE',
    });
  });

  it('TokenRecordsReader lists a project’s records newest first and checks their fields', async () => {
    await writeTokens([
      record(),
      record({ id: 'tok_bbbbbbbbbbbb', createdAt: '2026-02-01T00:00:00.000Z' }),
      record({ id: 'tok_cccccccccccc', projectId: 'prj_other0000000' }),
    ]);
    const reader = TokenRecordsReader.open(tmp.dataDir);
    const ids = (await reader.recordsFor('prj_aaaaaaaaaaaa')).map((r) => r.id);
    expect(ids).toEqual(['tok_bbbbbbbbbbbb', 'tok_aaaaaaaaaaaa']);

    await writeTokens([record({ expiresAt: 12 })]);
    await expect(reader.recordsFor('prj_aaaaaaaaaaaa')).rejects.toMatchObject({
      code: 'CORRUPT_STORE',
      message: expect.stringContaining('tokens.0.expiresAt') as unknown,
    });
  });

  it('markUsed sets lastUsedAt once a minute and keeps every other field', async () => {
    await writeTokens([record({ issuer: { kind: 'gateway', url: 'x', remoteId: 'r1' } })]);
    const reader = TokenRecordsReader.open(tmp.dataDir);
    const t0 = new Date('2026-03-01T10:00:00.000Z');
    await reader.markUsed('tok_aaaaaaaaaaaa', t0);
    await reader.markUsed('tok_aaaaaaaaaaaa', new Date(t0.getTime() + 30_000));
    const doc = JSON.parse(await fs.readFile(tokensFile(), 'utf8')) as {
      tokens: Record<string, unknown>[];
    };
    expect(doc.tokens[0]).toEqual({
      ...record({ issuer: { kind: 'gateway', url: 'x', remoteId: 'r1' } }),
      lastUsedAt: t0.toISOString(),
    });
    expect((await fs.stat(tokensFile())).mode & 0o777).toBe(0o600);
  });

  it('readSettings sees the saved secret store and refuses an unknown one', async () => {
    expect(await readSettings(tmp.dataDir)).toEqual({ version: 1 });
    await new SettingsService(tmp.dataDir).update({ secretStore: 'file' });
    expect((await readSettings(tmp.dataDir)).secretStore).toBe('file');
    await fs.writeFile(
      path.join(tmp.dataDir, 'settings.json'),
      JSON.stringify({ version: 1, secretStore: 'usb-stick' }),
    );
    await expect(readSettings(tmp.dataDir)).rejects.toMatchObject({ code: 'CORRUPT_STORE' });
  });
});
