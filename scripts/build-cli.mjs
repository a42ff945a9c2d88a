// Bundles the CLI (and with it the bridge) into one ESM file for fast cold starts.
// Native and heavy optional modules stay external and load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: { switchboard: 'app/cli/entry.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
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
});
