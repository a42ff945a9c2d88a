import fs from 'node:fs';
import path from 'node:path';

/**
 * Variables the OS keychain needs from the environment, per platform: only Linux's Secret
 * Service (over the D-Bus session bus); macOS and Windows keychains need none.
 */
export const KEYCHAIN_ENV_VARS: Readonly<Record<string, readonly string[]>> = {
  linux: ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'],
};

/** Where the per-user session bus was found, for the bridge's debug line. */
export interface SessionBusChoice {
  /** What was done: the variable was already set, a socket was adopted, or none was found. */
  source: 'env' | 'xdg-runtime-dir' | 'run-user' | 'none';
  address?: string;
  /** Human-readable, without secrets (paths only). */
  detail: string;
}

export interface SessionBusInputs {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** The parent of per-user runtime dirs; `/run/user` on systemd and elogind systems. */
  runUserRoot?: string;
}

/** A socket (or directory) at `file` owned by `uid`; anything else is ignored. */
function owned(file: string, uid: number, kind: 'socket' | 'dir'): boolean {
  try {
    const st = fs.statSync(file);
    return (kind === 'socket' ? st.isSocket() : st.isDirectory()) && st.uid === uid;
  } catch {
    return false;
  }
}

/**
 * Finds the user's D-Bus session bus when DBUS_SESSION_BUS_ADDRESS is missing, as it is for a
 * bridge spawned by a client that strips the environment (Codex CLI, SDK-based clients): the
 * standard per-user socket `$XDG_RUNTIME_DIR/bus`, else `/run/user/<uid>/bus`, only if it is a
 * socket owned by this user. Linux only: the macOS and Windows keychains need no environment.
 * Pure: returns what to set; `adoptSessionBus` applies it.
 */
export function findSessionBus(inputs: SessionBusInputs): SessionBusChoice {
  const { env, platform, uid } = inputs;
  if (platform !== 'linux') return { source: 'none', detail: `not needed on ${platform}` };
  if (env.DBUS_SESSION_BUS_ADDRESS) {
    return {
      source: 'env',
      address: env.DBUS_SESSION_BUS_ADDRESS,
      detail: 'DBUS_SESSION_BUS_ADDRESS from the environment',
    };
  }
  if (uid === undefined) return { source: 'none', detail: 'no user id on this platform' };
  const candidates: { dir: string; source: 'xdg-runtime-dir' | 'run-user' }[] = [];
  if (env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR)) {
    candidates.push({ dir: env.XDG_RUNTIME_DIR, source: 'xdg-runtime-dir' });
  }
  candidates.push({
    dir: path.join(inputs.runUserRoot ?? '/run/user', String(uid)),
    source: 'run-user',
  });
  for (const { dir, source } of candidates) {
    const socket = path.join(dir, 'bus');
    if (owned(socket, uid, 'socket')) {
      return {
        source,
        address: `unix:path=${socket}`,
        detail: `DBUS_SESSION_BUS_ADDRESS was not set; using the session bus at ${socket}`,
      };
    }
  }
  return {
    source: 'none',
    detail: `DBUS_SESSION_BUS_ADDRESS was not set and no session bus socket owned by uid ${uid} was found at ${candidates
      .map((c) => path.join(c.dir, 'bus'))
      .join(' or ')}`,
  };
}

/**
 * Applies `findSessionBus` to this process's environment before the keychain is opened (native
 * code reads the variable from the real environment, which `process.env` writes through to).
 * XDG_RUNTIME_DIR is filled in too when missing, from the directory the socket was found in.
 */
export function adoptSessionBus(
  env: NodeJS.ProcessEnv = process.env,
  inputs: Partial<SessionBusInputs> = {},
): SessionBusChoice {
  const choice = findSessionBus({
    env,
    platform: inputs.platform ?? process.platform,
    uid: inputs.uid ?? process.getuid?.(),
    runUserRoot: inputs.runUserRoot,
  });
  if (choice.source === 'xdg-runtime-dir' || choice.source === 'run-user') {
    env.DBUS_SESSION_BUS_ADDRESS = choice.address;
    const dir = path.dirname(choice.address!.slice('unix:path='.length));
    if (!env.XDG_RUNTIME_DIR && owned(dir, inputs.uid ?? process.getuid!(), 'dir')) {
      env.XDG_RUNTIME_DIR = dir;
    }
  }
  return choice;
}
