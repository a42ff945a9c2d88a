import crypto from 'node:crypto';
import { SwitchboardError } from '../shared/errors.js';
import type { JsonStore } from '../store/json-store.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import { findProject, projectNotFound, projectsStore } from './projects-file.js';
import { parseInput } from '../shared/validate.js';
import {
  NewProjectSchema,
  ProjectPatchSchema,
  ProjectsFileSchema,
  type NewProject,
  type Project,
  type ProjectPatch,
  type ProjectsFile,
} from './project.js';

export { PROJECTS_FILE } from './projects-file.js';

export function newProjectId(): string {
  // 16 chars of base32-ish lowercase: opaque, unguessable enough, safe in file names and argv.
  return (
    'prj_' +
    crypto
      .randomBytes(10)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 13)
  );
}

/** Projects live in `projects.json` in the data dir; every process reads and writes it here. */
export class ProjectsService {
  readonly store: JsonStore<ProjectsFile>;

  constructor(readonly dataDir: string) {
    this.store = projectsStore(dataDir, ProjectsFileSchema);
  }

  async list(): Promise<Project[]> {
    const file = await this.store.read();
    return [...file.projects].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Finds a project by name or id; NOT_FOUND says how to list them. */
  async get(ref: string): Promise<Project> {
    const found = findProject((await this.store.read()).projects, ref);
    if (!found) throw projectNotFound(ref);
    return found;
  }

  async find(ref: string): Promise<Project | undefined> {
    return findProject((await this.store.read()).projects, ref);
  }

  async add(input: NewProject): Promise<Project> {
    const data = parseInput(NewProjectSchema, input, 'project');
    return this.store.update((file) => {
      if (file.projects.some((p) => p.name === data.name)) {
        throw new SwitchboardError(
          'CONFLICT',
          `A project named "${data.name}" already exists; pick another name or edit that one.`,
          { field: 'name' },
        );
      }
      const now = new Date().toISOString();
      const project: Project = {
        id: newProjectId(),
        name: data.name,
        displayName: data.displayName ?? data.name,
        url: data.url,
        auth: data.auth,
        headers: data.headers,
        secretHeaders: data.secretHeaders,
        connected: true,
        ...(data.issuer ? { issuer: data.issuer } : {}),
        ...(data.provisioning ? { provisioning: data.provisioning } : {}),
        createdAt: now,
        updatedAt: now,
      };
      return { next: { ...file, projects: [...file.projects, project] }, result: project };
    });
  }

  async edit(ref: string, patch: ProjectPatch): Promise<Project> {
    const data = parseInput(ProjectPatchSchema, patch, 'project');
    return this.mutate(ref, (p) => {
      const { issuer, ...rest } = data;
      const next: Project = {
        ...p,
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      };
      if (issuer === null) delete next.issuer;
      else if (issuer !== undefined) next.issuer = issuer;
      return next;
    });
  }

  async setConnected(ref: string, connected: boolean): Promise<Project> {
    return this.mutate(ref, (p) => ({ ...p, connected }));
  }

  async remove(ref: string): Promise<Project> {
    return this.store.update((file) => {
      const found = findProject(file.projects, ref);
      if (!found) throw projectNotFound(ref);
      return {
        next: { ...file, projects: file.projects.filter((p) => p.id !== found.id) },
        result: found,
      };
    });
  }

  /** Notifies on any change to projects.json, from this process or another. */
  watch(onChange: () => void): FileWatcher {
    return watchFile(this.store.path, onChange);
  }

  private mutate(ref: string, fn: (p: Project) => Project): Promise<Project> {
    return this.store.update((file) => {
      const found = findProject(file.projects, ref);
      if (!found) throw projectNotFound(ref);
      const updated = { ...fn(found), updatedAt: new Date().toISOString() };
      return {
        next: { ...file, projects: file.projects.map((p) => (p.id === found.id ? updated : p)) },
        result: updated,
      };
    });
  }
}
