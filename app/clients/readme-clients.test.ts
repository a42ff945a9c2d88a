import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/run-cli.js';
import { CLIENT_DEFS } from './defs/index.js';
import { CLIENT_IDS } from './types.js';

it("the README's client table lists every client id, and there are at least 20", async () => {
  const readme = await fs.readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((l) => /^\| `[a-z-]+` +\|/.test(l));
  const ids = rows.map((l) => /^\| `([a-z-]+)`/.exec(l)![1]);
  for (const id of CLIENT_IDS) expect(ids, id).toContain(id);
  expect(CLIENT_IDS.length).toBeGreaterThanOrEqual(20);
  for (const id of CLIENT_IDS) {
    const row = rows.find((l) => l.startsWith(`| \`${id}\``))!;
    expect(row, id).toContain(CLIENT_DEFS[id].displayName.split(' (')[0]!);
  }
});
