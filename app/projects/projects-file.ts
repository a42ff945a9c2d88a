import path from 'node:path';
import { PROJECTS_FILE_VERSION } from '../shared/file-versions.js';
import { SwitchboardError } from '../shared/errors.js';
import { JsonStore, type Validator } from '../store/json-store.js';
import {
  arrayOf,
  bool,
  literal,
  object,
  oneOf,
  optional,
  recordOf,
  shapeValidator,
  str,
} from '../store/shape.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import type { Project, ProjectsFile } from './project.js';

// zod-free on purpose: the bridge reads projects.json through this module (see store/shape.ts).

export const PROJECTS_FILE = 'projects.json';
export { PROJECTS_FILE_VERSION };

export function projectsStore(
  dataDir: string,
  schema: Validator<ProjectsFile>,
): JsonStore<ProjectsFile> {
  return new JsonStore<ProjectsFile>({
    path: path.join(dataDir, PROJECTS_FILE),
    schema,
    version: PROJECTS_FILE_VERSION,
    empty: () => ({ version: PROJECTS_FILE_VERSION, projects: [] }),
  });
}

/** The fields a reader acts on; the zod ProjectsFileSchema checks everything on every write. */
const projectsFileShape = shapeValidator<ProjectsFile>(
  object({
    version: literal(PROJECTS_FILE_VERSION),
    projects: arrayOf(
      object({
        id: str,
        name: str,
        url: str,
        auth: oneOf(['none', 'bearer', 'oauth', 'provisioned']),
        headers: recordOf(str),
        secretHeaders: arrayOf(str),
        secretQuery: optional(arrayOf(str)),
        connected: bool,
        auditFullPayloads: optional(bool),
        provisioning: optional(
          object({ controlPlane: str, vendor: optional(str), endpointOverride: optional(str) }),
        ),
      }),
    ),
  }),
);

/** Read-only access to projects.json without loading zod: what a bridge needs. */
export class ProjectsReader {
  private readonly store: JsonStore<ProjectsFile>;

  constructor(dataDir: string) {
    this.store = projectsStore(dataDir, projectsFileShape);
  }

  async get(ref: string): Promise<Project> {
    const found = await this.find(ref);
    if (!found) throw projectNotFound(ref);
    return found;
  }

  async find(ref: string): Promise<Project | undefined> {
    return findProject((await this.store.read()).projects, ref);
  }

  /** Notifies on any change to projects.json, from this process or another. */
  watch(onChange: () => void): FileWatcher {
    return watchFile(this.store.path, onChange);
  }
}

export function findProject(projects: Project[], ref: string): Project | undefined {
  return projects.find((p) => p.id === ref) ?? projects.find((p) => p.name === ref);
}

export function projectNotFound(ref: string): SwitchboardError {
  return new SwitchboardError(
    'NOT_FOUND',
    `No project "${ref}". Run \`switchboard project list\` to see your projects.`,
    { ref },
  );
}
