import fs from 'node:fs/promises';
import path from 'node:path';

/** The JSON-RPC method of every audit event the bridges wrote into `dataDir` (in file order). */
export async function auditMethods(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'audit');
  const files = await fs.readdir(dir).catch(() => [] as string[]);
  const text = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join(
    '',
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { method?: string }).method ?? '');
}
