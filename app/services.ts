import { dataDir as defaultDataDir } from './paths/data-dir.js';
import { ProjectsService } from './projects/projects-service.js';

/** The composition root shared by the app's main process, the CLI and the e2e test host. */
export interface Services {
  dataDir: string;
  projects: ProjectsService;
}

export function createServices(opts: { dataDir?: string } = {}): Services {
  const dir = opts.dataDir ?? defaultDataDir();
  return { dataDir: dir, projects: new ProjectsService(dir) };
}
