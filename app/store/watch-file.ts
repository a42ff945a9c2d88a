import fs from 'node:fs';
import path from 'node:path';

export interface FileWatcher {
  close(): void;
}

/** While held (holdFsWatch), new watchers start with their stat poll only. */
let held: Array<() => void> | undefined;

/**
 * Until the returned release is called, watchers made in this process poll only and attach
 * fs.watch at release. A bridge holds them until its first answer is out: fs.watch's first use
 * loads Node's watcher internals (~2 ms of every spawn's cold start), and a change meanwhile is
 * still seen by the poll within its interval. Releasing twice, or after another release, is a
 * no-op.
 */
export function holdFsWatch(): () => void {
  const pending = (held ??= []);
  return () => {
    if (held !== pending) return;
    held = undefined;
    for (const attach of pending) attach();
  };
}

/**
 * Calls `onChange` soon after `file` changes (it is replaced atomically, so watch its folder),
 * with a stat poll as the fallback for filesystems where fs.watch is silent. Changes are
 * detected within `pollMs` at worst.
 */
export function watchFile(file: string, onChange: () => void, pollMs = 250): FileWatcher {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let last = signature(file);
  let timer: NodeJS.Timeout | undefined;

  const check = () => {
    const now = signature(file);
    if (now !== last) {
      last = now;
      onChange();
    }
  };
  const soon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      check();
    }, 20);
  };

  let watcher: fs.FSWatcher | undefined;
  let closed = false;
  const attach = () => {
    if (closed) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      watcher = fs.watch(dir, (_event, name) => {
        if (!name || name.toString() === base) soon();
      });
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
  };
  if (held) held.push(attach);
  else attach();
  const poll = setInterval(check, pollMs);
  poll.unref();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

function signature(file: string): string {
  try {
    // A missing file is the common case (no tokens yet) and this runs 4× a second in every
    // bridge: no ENOENT error (and its stack trace) per poll.
    const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    return st ? `${st.ino}:${st.size}:${st.mtimeNs}` : 'missing';
  } catch {
    return 'missing';
  }
}
