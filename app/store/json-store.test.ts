import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonStore } from './json-store.js';
import { SwitchboardError } from '../shared/errors.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

const Schema = z.object({ version: z.literal(1), items: z.array(z.string()) });
type Doc = z.infer<typeof Schema>;

let tmp: TempHome;
let file: string;
let store: JsonStore<Doc>;

beforeEach(async () => {
  tmp = await makeTempHome();
  file = path.join(tmp.dataDir, 'doc.json');
  store = new JsonStore<Doc>({
    path: file,
    schema: Schema,
    version: 1,
    empty: () => ({ version: 1, items: [] }),
  });
});
afterEach(() => tmp.cleanup());

describe('JsonStore', () => {
  it('reads a missing file as empty and writes atomically with mode 0600', async () => {
    expect(await store.read()).toEqual({ version: 1, items: [] });
    await store.update((doc) => ({ next: { ...doc, items: ['a'] }, result: undefined }));
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({ version: 1, items: ['a'] });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const leftovers = (await fs.readdir(tmp.dataDir)).filter((n) => n !== 'doc.json');
    expect(leftovers).toEqual([]);
  });

  it('reports a corrupt file with its path and never overwrites it', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(file, '{"version": 1, "items": [tru');
    const err = await store
      .update(() => ({ next: { version: 1, items: ['x'] }, result: 1 }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(SwitchboardError);
    expect(err.code).toBe('CORRUPT_STORE');
    expect(err.message).toContain(file);
    expect(await fs.readFile(file, 'utf8')).toBe('{"version": 1, "items": [tru');
  });

  it('refuses a directory where the file should be as such, not as a corrupt file', async () => {
    await fs.mkdir(file, { recursive: true });
    const err = await store.read().catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EISDIR');
    expect(err).not.toBeInstanceOf(SwitchboardError);
  });

  it('reports a schema mismatch as corrupt, naming the field', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify({ version: 1, items: [3] }));
    const err = await store.read().catch((e) => e);
    expect(err.code).toBe('CORRUPT_STORE');
    expect(err.message).toContain('items.0');
  });

  it('refuses a file from a newer version and leaves it alone', async () => {
    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify({ version: 2, items: [], future: true }));
    const err = await store
      .update(() => ({ next: { version: 1, items: [] }, result: 1 }))
      .catch((e) => e);
    expect(err.code).toBe('NEWER_STORE');
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ future: true });
  });

  it('keeps the old file when the new document fails validation', async () => {
    await store.update(() => ({ next: { version: 1, items: ['keep'] }, result: 1 }));
    await expect(
      store.update(() => ({ next: { version: 1, items: [5] } as unknown as Doc, result: 1 })),
    ).rejects.toThrow();
    expect(await store.read()).toEqual({ version: 1, items: ['keep'] });
  });

  it('serialises concurrent writers so no update is lost', async () => {
    const other = new JsonStore<Doc>({
      path: file,
      schema: Schema,
      version: 1,
      empty: () => ({ version: 1, items: [] }),
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? store : other).update(async (doc) => {
          await new Promise((r) => setTimeout(r, 2));
          return { next: { ...doc, items: [...doc.items, `w${i}`] }, result: undefined };
        }),
      ),
    );
    expect((await store.read()).items.sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `w${i}`).sort(),
    );
  });
});
