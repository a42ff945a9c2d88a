import fs from 'node:fs';
import path from 'node:path';
import { SwitchboardError } from '../shared/errors.js';

/** Files whose contents are secrets: readable by their owner only. */
const SECRET_FILES = new Set(['secrets.insecure.json']);

/**
 * Sub-directories whose files are checked one by one, because rewriting one gains an attacker
 * something: `clients/installs.json` decides what uninstall removes or restores, and a backup in
 * `clients/backups/` is written back into a client's config on undo (a command line the client
 * runs). Both stay small (BACKUPS_KEPT per config file). So does `cache/`: a bridge runs the V8 code
 * cache in it as its own code (one file per build, app/bridge/code-cache.ts). Every other sub-directory, `audit/`
 * above all (it can hold a million segments), is checked as a directory only: while it is
 * ours and not writable by others nobody else can add, replace or rename a file in it, and a
 * bridge only appends to a segment it created itself.
 */
const FILE_CHECKED_DIRS = new Set(['clients', path.join('clients', 'backups'), 'cache']);

export interface DataDirGuardOptions {
  /** Defaults to process.platform: on Windows, ACLs rather than mode bits apply; no check. */
  platform?: NodeJS.Platform;
  /** Defaults to process.getuid(). */
  uid?: number;
}

/**
 * Refuses a data dir another local user could tamper with, as ssh refuses a writable
 * ~/.ssh: the dir, or a file in it, group/world-writable or owned by someone else (they could
 * rewrite projects.json to send your keychain token to their server), or a secret file others
 * can read or that is a symlink. Run at start-up by the app, the CLI and every bridge; a dir
 * that does not exist yet is fine (it is created 0700). Throws one error listing every problem
 * with the command that fixes it.
 */
export function checkDataDir(dataDir: string, opts: DataDirGuardOptions = {}): void {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') return;
  const uid = opts.uid ?? process.getuid?.();
  if (uid === undefined) return;
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const problems: string[] = [];
  problems.push(...problemsOf(dataDir, dirStat, uid, false));
  problems.push(...problemsIn(dataDir, '', uid));
  if (problems.length === 0) return;
  throw new SwitchboardError(
    'REFUSED',
    `Switchboard will not use its data dir ${dataDir}: another user on this machine could change it and redirect your tokens.\n  - ${problems.join('\n  - ')}`,
    { path: dataDir },
  );
}

/** The entries of `<dataDir>/<rel>`, and of the sub-directories in FILE_CHECKED_DIRS. */
function problemsIn(dataDir: string, rel: string, uid: number): string[] {
  const dir = path.join(dataDir, rel);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // Unreadable: the commands that need it report that themselves.
  }
  const problems: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      continue;
    }
    // A lock directory holds no data; its mode follows the umask of whoever took the lock.
    if (name.endsWith('.lock')) continue;
    const secret = rel === '' && SECRET_FILES.has(name);
    if (st.isSymbolicLink()) {
      if (secret) {
        problems.push(
          `${file} is a symbolic link; the secret file must be a regular file (fix: move the real file into place: mv "$(readlink -f '${file}')" '${file}')`,
        );
      }
      continue;
    }
    problems.push(...problemsOf(file, st, uid, secret));
    const sub = path.join(rel, name);
    if (st.isDirectory() && FILE_CHECKED_DIRS.has(sub))
      problems.push(...problemsIn(dataDir, sub, uid));
  }
  return problems;
}

function problemsOf(file: string, st: fs.Stats, uid: number, secret: boolean): string[] {
  const out: string[] = [];
  const mode = st.mode & 0o777;
  const octal = mode.toString(8).padStart(3, '0');
  if (st.uid !== uid) {
    out.push(
      `${file} belongs to uid ${st.uid}, not you (uid ${uid}) (fix: chown ${uid} '${file}', or point SWITCHBOARD_HOME at a directory of your own)`,
    );
  }
  if (secret && (mode & 0o077) !== 0) {
    out.push(`${file} can be read by other users (mode ${octal}) (fix: chmod 600 '${file}')`);
  } else if ((mode & 0o022) !== 0) {
    out.push(`${file} is writable by other users (mode ${octal}) (fix: chmod go-w '${file}')`);
  }
  return out;
}
