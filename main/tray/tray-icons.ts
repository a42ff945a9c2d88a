import fs from 'node:fs';
import path from 'node:path';
import type { AggregateStatus } from '../../app/tray/tray-model.js';

const MAC: Record<AggregateStatus, string> = {
  connected: 'trayTemplate.png',
  attention: 'trayAttentionTemplate.png',
  disconnected: 'trayDisconnectedTemplate.png',
};
const SUFFIX: Record<AggregateStatus, string> = {
  connected: '',
  attention: '-attention',
  disconnected: '-disconnected',
};

/**
 * The tray icon file for a platform and status. macOS gets monochrome template images (the
 * `Template` suffix makes nativeImage adapt them to light/dark menu bars, and `@2x` is picked up
 * next to them); Windows an .ico with 16–32 px entries; Linux a colour PNG.
 */
export function trayIconFile(
  platform: NodeJS.Platform,
  status: AggregateStatus,
  trayDir: string,
): string {
  if (platform === 'darwin') return path.join(trayDir, MAC[status]);
  if (platform === 'win32') return path.join(trayDir, `tray${SUFFIX[status]}.ico`);
  return path.join(trayDir, `tray-linux${SUFFIX[status]}.png`);
}

/** Packaged: `<resources>/tray` (extraResources); from a checkout: `build/tray`. */
export function trayResourcesDir(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  appRoot: string;
}): string {
  return opts.isPackaged
    ? path.join(opts.resourcesPath, 'tray')
    : path.join(opts.appRoot, 'build', 'tray');
}

/**
 * The checkout's root, found by walking up from main's own folder (`out/main` when bundled,
 * `main/` when run from source) to the folder that has `build/tray`.
 */
export function checkoutRoot(fromDir: string): string {
  let dir = fromDir;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'build', 'tray'))) return dir;
    dir = path.dirname(dir);
  }
  return path.join(fromDir, '..', '..');
}
