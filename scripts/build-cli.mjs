// Bundles the CLI (and with it the bridge) for fast cold starts:
// - switchboard.mjs: the full CLI as ESM with lazily loaded chunks (entry app/bridge/fast-entry.ts);
// - switchboard.cjs: what bin/switchboard and MCP clients run, a small loader (app/bridge/cjs-entry.ts)
//   that hands every command but `bridge --project X` to switchboard.mjs;
// - bridge.cjs: the bridge as one CommonJS file (no ESM module graph: ~15 ms sooner to initialize,
//   ~0.3 MB smaller), which the loader compiles with V8's code cache.
// Native and heavy optional modules stay external and load from node_modules.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const banner = [
  "import { createRequire as __sbCreateRequire } from 'node:module';",
  "import { fileURLToPath as __sbFileURLToPath } from 'node:url';",
  'const require = __sbCreateRequire(import.meta.url);',
  'const __filename = __sbFileURLToPath(import.meta.url);',
  "import { dirname as __sbDirname } from 'node:path';",
  'const __dirname = __sbDirname(__filename);',
].join(' ');

// What both bundles share.
const common = {
  outdir: 'out/cli',
  bundle: true,
  platform: 'node',
  // Prefer ESM builds: some packages' "main" is a UMD bundle with dynamic requires esbuild
  // cannot follow (jsonc-parser's ./impl/format).
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: 'linked',
  external: ['@napi-rs/keyring'],
  logLevel: 'warning',
  metafile: true,
};

const result = await build({
  ...common,
  // The entry dispatches: `bridge --project X` (what clients spawn) loads only the bridge's
  // modules; everything else loads the full CLI (app/cli/entry.ts). sdk-http is an entry of its
  // own so the CommonJS bundle can load it by a stable name.
  entryPoints: {
    switchboard: 'app/bridge/fast-entry.ts',
    'sdk-http': 'app/bridge/sdk-http.ts',
    'oauth-token-endpoint': 'app/oauth/token-endpoint.ts',
  },
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  banner: { js: banner },
});

// The CommonJS bridge and its loader, with the full CLI, the SDK transport and the OAuth token
// endpoint calls left to the ESM bundle (loaded by import() only when asked for). Whitespace and
// syntax are minified, names kept (stack traces stay readable): the bundle's source stays in every
// bridge's heap, and comments with non-Latin-1 characters made it a two-byte string twice the size.
const toEsmBundle = {
  name: 'to-esm-bundle',
  setup(b) {
    b.onResolve({ filter: /\/cli\/entry\.js$/ }, () => ({
      path: './switchboard.mjs',
      external: true,
    }));
    b.onResolve({ filter: /\/sdk-http\.js$/ }, () => ({ path: './sdk-http.mjs', external: true }));
    b.onResolve({ filter: /\/token-endpoint\.js$/ }, () => ({
      path: './oauth-token-endpoint.mjs',
      external: true,
    }));
  },
};
const cjsCommon = {
  ...common,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [toEsmBundle],
  define: { 'import.meta.url': '__sbModuleUrl' },
  banner: { js: "const __sbModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
const bridgeCjs = await build({
  ...cjsCommon,
  entryPoints: { bridge: 'app/bridge/bridge-main.ts' },
});
// esbuild's __toESM wraps a CommonJS module (node:fs, node:path…) for each importing module with
// one getter closure per export: ~1,300 closures, contexts and accessors (≈ 0.3 MB) in every
// bridge. The bridge's version makes one wrapper per module that reads through its prototype
// (the same values, and as live), so each module costs one object however often it is imported.
// The loader gets it too: its ten wrappers (node:fs twice, ~100 exports each) were ~1 ms of
// every spawn's start, before the bridge's code even loads.
const ESBUILD_TO_ESM =
  '__toESM=(mod,isNodeMode,target)=>(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:!0}):target,mod))';
const SHARED_TO_ESM =
  '__toESM=(mod,isNodeMode)=>{if(mod==null)return{};const byMode=__sbEsm[isNodeMode||!mod.__esModule?1:0];let t=byMode.get(mod);if(t===void 0){t=__create(mod);if(isNodeMode||!mod.__esModule)__defProp(t,"default",{value:mod,enumerable:!0});byMode.set(mod,t)}return t}';
function shareToEsm(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(ESBUILD_TO_ESM)) {
    console.error(
      `build-cli: esbuild's __toESM helper changed; update ESBUILD_TO_ESM in scripts/build-cli.mjs (${file}).`,
    );
    process.exit(1);
  }
  const banner = 'const __sbEsm=[new WeakMap(),new WeakMap()];';
  fs.writeFileSync(file, banner + text.replace(ESBUILD_TO_ESM, SHARED_TO_ESM));
}

// A function V8 restores from a code cache loses its script's dynamic-import options, so under
// the loader's vm.Script (app/bridge/code-cache.ts) import() would fail on every spawn after
// the first. The bundle's import("…") calls go through the loader's __sbBridgeImport instead;
// loaded by plain require() (Node >= 22.1), the bundle uses its own import().
function routeDynamicImports(file) {
  const text = fs.readFileSync(file, 'utf8');
  const calls = text.match(/\bimport\((?=["'])/g)?.length ?? 0;
  if (calls === 0) {
    console.error(`build-cli: found no import("…") in ${file}; check routeDynamicImports.`);
    process.exit(1);
  }
  const banner =
    'const __sbImport=typeof __sbBridgeImport=="function"?__sbBridgeImport:s=>import(s);';
  fs.writeFileSync(file, banner + text.replace(/\bimport\((?=["'])/g, '__sbImport('));
}
shareToEsm('out/cli/bridge.cjs');
routeDynamicImports('out/cli/bridge.cjs');

// The loader keys the code cache by this, so a new build never runs an old build's cache.
const bridgeBuild = crypto
  .createHash('sha256')
  .update(fs.readFileSync('out/cli/bridge.cjs'))
  .digest('hex')
  .slice(0, 16);
const loaderCjs = await build({
  ...cjsCommon,
  entryPoints: { switchboard: 'app/bridge/cjs-entry.ts' },
  define: { ...cjsCommon.define, __SB_BRIDGE_BUILD__: JSON.stringify(bridgeBuild) },
});
shareToEsm('out/cli/switchboard.cjs');
const cjsOutputs = { ...bridgeCjs.metafile.outputs, ...loaderCjs.metafile.outputs };

// The bridge's start-up path (what every client spawns) must not load zod or the SDK's
// schemas: ~70 ms and ~8 MB per spawn (see app/store/shape.ts). Follow the static imports from
// the bridge's modules and fail the build if any of them bundles zod.
const outputs = result.metafile.outputs;
const bridgeRoots = Object.keys(outputs).filter(
  (f) =>
    ['app/bridge/bridge-main.ts', 'app/bridge/run-bridge.ts'].includes(
      outputs[f].entryPoint ?? '',
    ) || Object.keys(outputs[f].inputs).some((i) => i.endsWith('app/bridge/run-bridge.ts')),
);
const reached = new Set();
const walk = (file) => {
  if (reached.has(file) || !outputs[file]) return;
  reached.add(file);
  for (const imp of outputs[file].imports) if (imp.kind === 'import-statement') walk(imp.path);
};
bridgeRoots.forEach(walk);
const heavy = [...reached].flatMap((f) =>
  Object.keys(outputs[f].inputs)
    .filter((i) => /node_modules\/zod\//.test(i))
    .map(() => f),
);
// The CommonJS bundles are all bridge: nothing in them may be zod.
for (const [file, out] of Object.entries(cjsOutputs)) {
  if (Object.keys(out.inputs).some((i) => /node_modules\/zod\//.test(i))) heavy.push(file);
}
if (bridgeRoots.length === 0 || heavy.length > 0) {
  console.error(
    bridgeRoots.length === 0
      ? 'build-cli: cannot find the bridge chunks in the bundle'
      : `build-cli: the bridge start-up path bundles zod (via ${[...new Set(heavy)].join(', ')}); keep zod out of app/bridge's static imports.`,
  );
  process.exit(1);
}

// Content-hashed chunks pile up across builds; drop old ones this build did not write. Recent
// ones stay: a bridge spawned by a concurrent test run may still be loading them.
const written = new Set(
  [...Object.keys(result.metafile.outputs), ...Object.keys(cjsOutputs)].map((f) => path.resolve(f)),
);
const cutoff = Date.now() - 10 * 60 * 1000;
for (const name of fs.readdirSync('out/cli')) {
  const file = path.resolve('out/cli', name);
  if (!written.has(file) && fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
}
