import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StdioLaunch } from './types.js';

/**
 * What runs the bridge. A dev checkout: a Node (or Electron-as-Node) binary + bin/switchboard.
 * A packaged app: the app executable with ELECTRON_RUN_AS_NODE=1 + the bundled CLI script.
 */
export type LauncherInputs =
  | { kind: 'dev'; nodePath: string; cliPath: string; runAsNode?: boolean }
  | { kind: 'packaged'; appExecutable: string; bridgeScript: string };

/** The stdio launch for a project's bridge; `extraEnv` carries non-secret switches only. */
export function bridgeLaunch(
  inputs: LauncherInputs,
  projectId: string,
  extraEnv: Record<string, string> = {},
): StdioLaunch {
  const bridgeArgs = ['bridge', '--project', projectId];
  if (inputs.kind === 'packaged') {
    return {
      command: inputs.appExecutable,
      args: [inputs.bridgeScript, ...bridgeArgs],
      env: { ELECTRON_RUN_AS_NODE: '1', ...extraEnv },
    };
  }
  return {
    command: inputs.nodePath,
    args: [inputs.cliPath, ...bridgeArgs],
    env: inputs.runAsNode ? { ELECTRON_RUN_AS_NODE: '1', ...extraEnv } : { ...extraEnv },
  };
}

const PROJECT_ID_RE = /^prj_[a-z0-9]{10,}$/;

/**
 * Recognises an entry Switchboard wrote: its args end in `bridge --project prj_…`. The opaque
 * project id makes a collision with someone else's entry practically impossible.
 */
export function switchboardProjectId(launch: StdioLaunch | undefined): string | undefined {
  if (!launch) return undefined;
  const i = launch.args.lastIndexOf('--project');
  if (i < 1 || launch.args[i - 1] !== 'bridge') return undefined;
  const id = launch.args[i + 1];
  return id && PROJECT_ID_RE.test(id) ? id : undefined;
}

/** Finds the checkout's bin/switchboard by walking up from this module (source or bundle). */
export function findCheckoutCli(
  from = path.dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'bin', 'switchboard');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Launcher inputs for the running process: under a packaged Electron app (resourcesPath set
 * and not a default-app dev run) the bundled script; otherwise the checkout's bin/switchboard.
 */
export function currentLauncherInputs(): LauncherInputs {
  const proc = process as NodeJS.Process & { resourcesPath?: string; defaultApp?: boolean };
  const isElectron = Boolean(process.versions.electron);
  if (isElectron && proc.resourcesPath && !proc.defaultApp) {
    return {
      kind: 'packaged',
      appExecutable: process.execPath,
      bridgeScript: path.join(proc.resourcesPath, 'cli', 'switchboard.cjs'),
    };
  }
  const cliPath = findCheckoutCli();
  if (!cliPath) {
    throw new Error('Cannot find bin/switchboard next to this build; run from a checkout.');
  }
  return { kind: 'dev', nodePath: process.execPath, cliPath, runAsNode: isElectron };
}
