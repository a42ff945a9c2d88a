import { looksLikeSecretHeader } from '../shared/secret-headers.js';
import { withoutQueryParams } from '../shared/query-secrets.js';
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
    refuseSecretLookingHeaders(data.headers, data.name, data.allowPlainSecretHeaders);
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
    const { allowPlainSecretHeaders, ...data } = parseInput(ProjectPatchSchema, patch, 'project');
    return this.mutate(ref, (p) => {
      if (data.headers) refuseSecretLookingHeaders(data.headers, p.name, allowPlainSecretHeaders);
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

  /**
   * Marks query parameter `param` as a secret (its value is a query-secret token): listed in
   * `secretQuery`, and removed from the stored URL if it was there.
   */
  async markQuerySecret(ref: string, param: string): Promise<Project> {
    return this.mutate(ref, (p) => {
      const url = new URL(p.url);
      const stripped = url.searchParams.has(param) ? withoutQueryParams(url, [param]).href : p.url;
      const secretQuery = [...new Set([...(p.secretQuery ?? []), param])];
      return { ...p, url: stripped, secretQuery };
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

/**
 * A plain header that looks like a credential (its name, or a token-shaped value) would be
 * stored in projects.json in the clear. Refused unless the user says it is not a secret; the
 * message names the header, never its value, and says how to keep it in the keychain.
 */
function refuseSecretLookingHeaders(
  headers: Record<string, string>,
  project: string,
  allowed: boolean | undefined,
): void {
  if (allowed) return;
  const suspects = Object.entries(headers)
    .filter(([name, value]) => looksLikeSecretHeader(name, value))
    .map(([name]) => name);
  if (suspects.length === 0) return;
  const first = suspects[0]!;
  throw new SwitchboardError(
    'VALIDATION',
    `The header${suspects.length > 1 ? 's' : ''} ${suspects.join(', ')} look${suspects.length > 1 ? '' : 's'} like a secret, which would be stored in plain text. Keep it in the keychain instead: --secret-header ${first}, then switchboard token add ${project} --kind secret-header --header ${first} --token-stdin. If it is not a secret, add --plain-header-ok.`,
    { field: 'headers' },
  );
}
