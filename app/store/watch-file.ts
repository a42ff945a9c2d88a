import fs from 'node:fs';
import path from 'node:path';

export interface FileWatcher {
  close(): void;
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
  try {
    fs.mkdirSync(dir, { recursive: true });
    watcher = fs.watch(dir, (_event, name) => {
      if (!name || name.toString() === base) soon();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(check, pollMs);
  poll.unref();

  return {
    close() {
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
