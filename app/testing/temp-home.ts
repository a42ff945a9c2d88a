import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempHome {
  /** A fresh HOME: client configs and XDG dirs resolve inside it. */
  home: string;
  /** SWITCHBOARD_HOME inside it. */
  dataDir: string;
  /** process.env with HOME, XDG_*, APPDATA and SWITCHBOARD_HOME pointed inside the temp dir. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** Every test gets its own HOME and SWITCHBOARD_HOME so nothing touches the real user's files. */
export async function makeTempHome(prefix = 'sb-test-'): Promise<TempHome> {
  const home = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  const dataDir = path.join(home, 'switchboard-data');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    APPDATA: path.join(home, 'AppData', 'Roaming'),
    SWITCHBOARD_HOME: dataDir,
  };
  return {
    home,
    dataDir,
    env,
    cleanup: () => fs.rm(home, { recursive: true, force: true }),
  };
}
