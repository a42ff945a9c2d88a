import path from 'node:path';
import { ProjectsService } from '../projects/projects-service.js';
import { CLI_PATH } from '../testing/run-cli.js';
import type { TempHome } from '../testing/temp-home.js';
import { ClientsService } from './clients-service.js';
import type { LauncherInputs } from './bridge-command.js';

/** A ClientsService rooted in a temp HOME (Linux layout), never the real user's files. */
export function clientsIn(
  tmp: TempHome,
  launcher: LauncherInputs = { kind: 'dev', nodePath: process.execPath, cliPath: CLI_PATH },
): { clients: ClientsService; projects: ProjectsService } {
  const projects = new ProjectsService(tmp.dataDir);
  const clients = new ClientsService({
    dataDir: tmp.dataDir,
    projects,
    platformEnv: { platform: 'linux', env: tmp.env, home: tmp.home },
    launcher,
    cwd: path.join(tmp.home, 'repo'),
  });
  return { clients, projects };
}
