import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file under `roots` whose bytes contain any of `secrets` (bounded walk). */
export async function findSecretsInFiles(
  roots: string[],
  secrets: string[],
  maxFiles = 10_000,
): Promise<string[]> {
  const hits: string[] = [];
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > maxFiles)
        throw new Error(`secret scan: more than ${maxFiles} entries under ${roots.join(', ')}`);
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const text = (await fs.readFile(p)).toString('latin1');
        if (secrets.some((s) => s.length > 0 && text.includes(s))) hits.push(p);
      }
    }
  };
  for (const r of roots) await walk(r);
  return hits;
}
