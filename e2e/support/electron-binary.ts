import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../app/testing/run-cli';

/**
 * The Electron executable, if one is installed, found without requiring `electron` (which, from
 * v42 on, tries to download the binary on first require).
 */
export function findElectronBinary(): { path?: string; why?: string } {
  const pkgDir = path.join(REPO_ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, rel ?? 'electron')
    : rel
      ? path.join(pkgDir, 'dist', rel)
      : undefined;
  if (candidate && fs.existsSync(candidate)) return { path: candidate };
  return {
    why:
      'No Electron binary here (node_modules/electron/dist is empty and ELECTRON_OVERRIDE_DIST_PATH is unset); ' +
      'the browser target runs these specs instead. On a desktop, `npx install-electron --no` fetches it.',
  };
}
