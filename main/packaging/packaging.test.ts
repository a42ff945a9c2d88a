import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration, FileSet } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpTestServer } from '../../app/testing/mcp-test-server.js';
import { REPO_ROOT } from '../../app/testing/run-cli.js';
import { makeTempHome, type TempHome } from '../../app/testing/temp-home.js';
import { APP_VERSION } from '../../app/version.js';

// Packaging itself needs an Electron binary, which cannot be downloaded here. What can be
// checked without one is checked: electron-builder's own loader and schema accept the config,
// every file it references exists, the fuses are what docs/security.md says, and the bridge
// runs from the packaged layout under plain Node.

const run = promisify(execFile);
const CONFIG = 'build/electron-builder.yml';
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(REPO_ROOT, CONFIG, null);
  await validateConfiguration(config, new DebugLogger(false));
});

const fromRoot = (p: string) => path.join(REPO_ROOT, p);

function extraResources(): FileSet[] {
  return (config.extraResources ?? []) as FileSet[];
}

describe('electron-builder config', () => {
  it('loads and passes electron-builder’s schema, with the app identity and targets', () => {
    expect(config.appId).toBe('dev.switchboard.app');
    expect(config.productName).toBe('Switchboard');
    expect(config.directories).toMatchObject({ buildResources: 'build', output: 'dist' });
    expect(config.mac).toMatchObject({
      target: ['dmg'],
      hardenedRuntime: true,
      extendInfo: { LSUIElement: true },
    });
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.publish).toBeNull();
  });

  it('references only files that exist', () => {
    const files = [
      config.mac!.icon,
      config.mac!.entitlements,
      config.mac!.entitlementsInherit,
      config.win!.icon,
      config.linux!.icon,
    ];
    for (const f of files) expect(fs.existsSync(fromRoot(String(f))), String(f)).toBe(true);
    for (const set of extraResources()) {
      expect(fs.existsSync(fromRoot(set.from!)), set.from).toBe(true);
    }
    // `files` are electron-vite's output folders (built by `npm run build`, not committed).
    const viteConfig = fs.readFileSync(fromRoot('electron.vite.config.ts'), 'utf8');
    // getConfig normalises `files` into file sets.
    const patterns = ([config.files].flat() as (string | FileSet)[]).flatMap((f) =>
      typeof f === 'string' ? [f] : [f.filter ?? []].flat(),
    );
    for (const dir of ['out/main', 'out/preload', 'out/renderer']) {
      expect(patterns).toContain(`${dir}/**`);
      expect(viteConfig).toContain(dir);
    }
  });

  it('unpacks the native keychain binding and ships the bridge with its one external module', () => {
    expect(config.asarUnpack).toContain('**/node_modules/@napi-rs/keyring*/**');
    expect(
      minimatch(
        'node_modules/@napi-rs/keyring-darwin-arm64/keyring.node',
        '**/node_modules/@napi-rs/keyring*/**',
      ),
    ).toBe(true);
    expect(config.npmRebuild).toBe(false);
    // The clients installer points packaged entries at <resources>/cli/switchboard.cjs.
    const launcher = fs.readFileSync(fromRoot('app/clients/bridge-command.ts'), 'utf8');
    expect(launcher).toContain("path.join(proc.resourcesPath, 'cli', 'switchboard.cjs')");
    expect(extraResources()).toEqual(
      expect.arrayContaining([
        { from: 'build/tray', to: 'tray' },
        { from: 'out/cli', to: 'cli', filter: ['**/*.mjs', '**/*.cjs'] },
        {
          from: 'node_modules/@napi-rs',
          to: 'cli/node_modules/@napi-rs',
          filter: ['keyring/**', 'keyring-*/**'],
        },
      ]),
    );
    // The bundle keeps exactly that module external.
    const buildCli = fs.readFileSync(fromRoot('scripts/build-cli.mjs'), 'utf8');
    expect(buildCli).toMatch(/external:\s*\[\s*'@napi-rs\/keyring'\s*\]/);
  });

  it('sets every fuse electron-builder knows, all strict except RunAsNode (docs/security.md)', async () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    // A fuse added to electron-builder's schema must get a decision here.
    const schema = JSON.parse(
      fs.readFileSync(fromRoot('node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    expect(Object.keys(config.electronFuses!).sort()).toEqual(
      Object.keys(schema.definitions.FuseOptionsV1.properties).sort(),
    );
    const doc = fs.readFileSync(fromRoot('docs/security.md'), 'utf8');
    expect(doc).toContain('RunAsNode');
    expect(doc).toContain('ELECTRON_RUN_AS_NODE');
  });

  it('ships icons whose pixels match the generator, in the sizes each OS wants', async () => {
    await run(process.execPath, [fromRoot('build/generate-icons.mjs'), '--check']);
    const png = (p: string) => {
      const b = fs.readFileSync(fromRoot(p));
      expect(b.subarray(1, 4).toString('ascii'), p).toBe('PNG');
      return b.readUInt32BE(16);
    };
    expect(png('build/icon.png')).toBe(512);
    expect(png('build/tray/trayTemplate.png')).toBe(16);
    expect(png('build/tray/trayTemplate@2x.png')).toBe(32);
    expect(png('build/tray/tray-linux.png')).toBe(32);
    const ico = fs.readFileSync(fromRoot('build/tray/tray.ico'));
    expect(ico.readUInt16LE(2)).toBe(1); // icon type
    expect(Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i])).toEqual([
      16, 20, 24, 32,
    ]);
    const appIco = fs.readFileSync(fromRoot('build/icon.ico'));
    expect(appIco[6 + 16 * (appIco.readUInt16LE(4) - 1)]).toBe(0); // 0 = 256 px
  });

  it('has npm scripts to build installers for each OS', () => {
    const pkg = JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [script, flag] of [
      ['dist:mac', '--mac'],
      ['dist:win', '--win'],
      ['dist:linux', '--linux'],
    ]) {
      expect(pkg.scripts[script!], script).toBe(`npm run dist -- ${flag}`);
    }
    // A clean out/ first, so stale CLI chunks never ship, then the build, then the package.
    expect(pkg.scripts.dist).toMatch(
      /rmSync\('out'.*&& npm run build && electron-builder --config build\/electron-builder\.yml$/,
    );
  });
});

describe('the bridge from the packaged layout', () => {
  let tmp: TempHome;
  let resources: string;

  beforeAll(async () => {
    tmp = await makeTempHome();
    resources = path.join(tmp.home, 'Switchboard', 'resources');
    // Lay out <resources>/ exactly as the extraResources entries say (electron-builder matches
    // `filter` globs relative to `from`, as here).
    for (const set of extraResources()) {
      const src = fromRoot(set.from!);
      const filters = (set.filter as string[] | undefined) ?? ['**/*'];
      fs.cpSync(src, path.join(resources, set.to!), {
        recursive: true,
        filter: (file) => {
          const rel = path.relative(src, file).split(path.sep).join('/');
          if (rel === '' || fs.statSync(file).isDirectory()) return true;
          return filters.some((f) => minimatch(rel, f, { dot: true }));
        },
      });
    }
  });
  afterAll(() => tmp.cleanup());

  it('runs under plain Node with ELECTRON_RUN_AS_NODE=1, from outside the checkout', async () => {
    const script = path.join(resources, 'cli', 'switchboard.cjs');
    const env = { ...tmp.env, ELECTRON_RUN_AS_NODE: '1', NODE_PATH: '' };
    const { stdout } = await run(process.execPath, [script, '--version'], { env, cwd: tmp.home });
    expect(stdout.trim()).toBe(APP_VERSION);
    // The keychain binding resolves from the shipped copy next to the bundle.
    const { stdout: resolved } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const k = await import('@napi-rs/keyring'); console.log(typeof k.AsyncEntry)",
      ],
      { env, cwd: path.join(resources, 'cli') },
    );
    expect(resolved.trim()).toBe('function');
    expect(fs.existsSync(path.join(resources, 'tray', 'trayTemplate@2x.png'))).toBe(true);
    expect(fs.readdirSync(path.join(resources, 'cli')).some((f) => f.endsWith('.map'))).toBe(false);
  });

  // switchboard.cjs is what installs write now; switchboard.mjs is what earlier versions wrote.
  it.each(['switchboard.cjs', 'switchboard.mjs'])(
    'serves a real MCP session: client → packaged bridge (%s) → server on 127.0.0.1',
    async (bridgeScript) => {
      const server = await startMcpTestServer();
      try {
        const add = await run(
          process.execPath,
          [
            fromRoot('bin/switchboard'),
            'project',
            'add',
            `pkg-${bridgeScript.slice(-3)}`,
            '--url',
            server.url,
            '--json',
          ],
          { env: tmp.env },
        );
        const project = JSON.parse(add.stdout) as { id: string };
        const transport = new StdioClientTransport({
          command: process.execPath,
          args: [path.join(resources, 'cli', bridgeScript), 'bridge', '--project', project.id],
          env: { ...tmp.env, ELECTRON_RUN_AS_NODE: '1' } as Record<string, string>,
          cwd: tmp.home,
          stderr: 'pipe',
        });
        const client = new Client({ name: 'packaging-test', version: '1.0.0' });
        await client.connect(transport);
        try {
          const result = await client.callTool({
            name: 'echo',
            arguments: { message: 'packaged' },
          });
          expect(result.content).toEqual([{ type: 'text', text: 'Echo: packaged' }]);
        } finally {
          await client.close();
        }
      } finally {
        await server.close();
      }
    },
  );
});
