// Bundles the CLI (and with it the bridge) into one ESM file for fast cold starts.
// Native and heavy optional modules stay external and load from node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const result = await build({
  // The entry dispatches: `bridge --project X` (what clients spawn) loads only the bridge's
  // modules; everything else loads the full CLI (app/cli/entry.ts).
  entryPoints: { switchboard: 'app/bridge/fast-entry.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer ESM builds: some packages' "main" is a UMD bundle with dynamic requires esbuild
  // cannot follow (jsonc-parser's ./impl/format).
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  external: ['@napi-rs/keyring'],
  banner: {
    js: [
      "import { createRequire as __sbCreateRequire } from 'node:module';",
      "import { fileURLToPath as __sbFileURLToPath } from 'node:url';",
      'const require = __sbCreateRequire(import.meta.url);',
      'const __filename = __sbFileURLToPath(import.meta.url);',
      "import { dirname as __sbDirname } from 'node:path';",
      'const __dirname = __sbDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
  metafile: true,
});

// Content-hashed chunks pile up across builds; drop old ones this build did not write. Recent
// ones stay: a bridge spawned by a concurrent test run may still be loading them.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
const cutoff = Date.now() - 10 * 60 * 1000;
for (const name of fs.readdirSync('out/cli')) {
  const file = path.resolve('out/cli', name);
  if (!written.has(file) && fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
}
