// Packages the app for real with electron-builder (`--linux dir`) on a machine that has no
// Electron binary, by handing it a stand-in "Electron" that carries Electron 45's fuse wire.
// Then it checks what electron-builder produced: the fuses it flipped, the asar and its unpacked
// keychain binding, the extra resources, and that the shipped bridge runs under plain Node.
// Run `npm run build` first. Usage: node build/check-package.mjs   (prints JSON, exit 1 on a miss)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's shipped defaults, in wire order (RunAsNode first): '1' on, '0' off.
const ELECTRON_DEFAULTS = '101100011';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-package-'));
try {
  for (const dir of ['out/main', 'out/preload', 'out/renderer', 'out/cli']) {
    if (!fs.existsSync(path.join(ROOT, dir)))
      throw new Error(`${dir} is missing: run \`npm run build\` first.`);
  }
  const dist = path.join(work, 'electron-dist');
  fs.mkdirSync(path.join(dist, 'resources'), { recursive: true });
  const wire = Buffer.from([
    1,
    ELECTRON_DEFAULTS.length,
    ...Buffer.from(ELECTRON_DEFAULTS, 'ascii'),
  ]);
  fs.writeFileSync(
    path.join(dist, 'electron'),
    Buffer.concat([Buffer.alloc(64), Buffer.from(SENTINEL), wire, Buffer.alloc(64)]),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dist, 'LICENSE'), 'stand-in');
  fs.writeFileSync(path.join(dist, 'version'), '45.4.1');

  const output = path.join(work, 'dist');
  const started = Date.now();
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'electron-builder'),
    [
      '--linux',
      'dir',
      '--config',
      'build/electron-builder.yml',
      `-c.electronDist=${dist}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const packMs = Date.now() - started;

  const appDir = path.join(output, 'linux-unpacked');
  const res = path.join(appDir, 'resources');
  const fuses = await getCurrentFuseWire(path.join(appDir, 'switchboard'));
  const fuseState = Object.fromEntries(
    Object.entries(fuses)
      .filter(([k]) => k !== 'version')
      .map(([k, v]) => [FuseV1Options[Number(k)], String.fromCharCode(Number(v)) === '1']),
  );
  const expectedFuses = {
    RunAsNode: true,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
    WasmTrapHandlers: true,
  };
  const keyringNode = fs
    .readdirSync(path.join(res, 'app.asar.unpacked', 'node_modules', '@napi-rs'))
    .some((d) => d.startsWith('keyring-'));
  let version = '';
  try {
    version = execFileSync(
      process.execPath,
      [path.join(res, 'cli', 'switchboard.cjs'), '--version'],
      {
        cwd: os.tmpdir(),
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
      .toString()
      .trim();
  } catch (error) {
    version = `failed: ${
      String(error.stderr ?? error.message)
        .split('\n')
        .find((l) => l.includes('Error')) ?? 'unknown error'
    }`;
  }
  const checks = {
    fuses: JSON.stringify(fuseState) === JSON.stringify(expectedFuses),
    asar: fs.existsSync(path.join(res, 'app.asar')),
    keyringUnpacked: keyringNode,
    bridgeScript: fs.existsSync(path.join(res, 'cli', 'switchboard.cjs')),
    bridgeKeyring: fs.existsSync(
      path.join(res, 'cli', 'node_modules', '@napi-rs', 'keyring', 'package.json'),
    ),
    noSourceMaps: !fs.readdirSync(path.join(res, 'cli')).some((f) => f.endsWith('.map')),
    trayIcons: ['trayTemplate.png', 'trayTemplate@2x.png', 'tray.ico', 'tray-linux.png'].every(
      (f) => fs.existsSync(path.join(res, 'tray', f)),
    ),
    bridgeRuns: /^\d+\.\d+\.\d+/.test(version),
  };
  const mb = (p) => Math.round((fs.statSync(p).size / 1048576) * 10) / 10;
  process.stdout.write(
    JSON.stringify(
      {
        ok: Object.values(checks).every(Boolean),
        checks,
        fuses: fuseState,
        packMs,
        appAsarMB: mb(path.join(res, 'app.asar')),
        bridgeVersion: version,
      },
      null,
      2,
    ) + '\n',
  );
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
