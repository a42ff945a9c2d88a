import path from 'node:path';
import { JsonStore } from '../store/json-store.js';
import {
  arrayOf,
  literal,
  object,
  oneOf,
  optional,
  recordOf,
  shapeValidator,
  str,
} from '../store/shape.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';

// zod-free on purpose: bridges write this file (store/shape.ts explains why).

/**
 * Per-project sign-in state, shared by every process through `auth-status.json` in the data dir:
 * a bridge that finds a sign-in is needed (refresh rejected, no refresh token, signed out) or a
 * 403 insufficient_scope records it here, and the app turns it into the project's status, the
 * tray's "Needs attention" row and one notification. A successful sign-in or refresh clears it.
 */
export const AUTH_STATUS_KINDS = [
  'signed-in',
  'refreshing',
  'sign-in-needed',
  'permission-needed',
] as const;
export type AuthStatusKind = (typeof AUTH_STATUS_KINDS)[number];

export interface ProjectAuthStatus {
  status: AuthStatusKind;
  /** permission-needed: the scopes the server asked for (403 insufficient_scope). */
  scopes?: string[];
  /** Why, in words a person can act on (never a token or a server's raw text). */
  message?: string;
  /** ISO time the status was set. */
  since: string;
}

export const AUTH_STATUS_FILE = 'auth-status.json';
export const AUTH_STATUS_FILE_VERSION = 1;

export interface AuthStatusFile {
  version: typeof AUTH_STATUS_FILE_VERSION;
  projects: Record<string, ProjectAuthStatus>;
}

const authStatusShape = shapeValidator<AuthStatusFile>(
  object({
    version: literal(AUTH_STATUS_FILE_VERSION),
    projects: recordOf(
      object({
        status: oneOf([...AUTH_STATUS_KINDS]),
        scopes: optional(arrayOf(str)),
        message: optional(str),
        since: str,
      }),
    ),
  }),
);

function authStatusStore(dataDir: string): JsonStore<AuthStatusFile> {
  return new JsonStore<AuthStatusFile>({
    path: path.join(dataDir, AUTH_STATUS_FILE),
    schema: authStatusShape,
    version: AUTH_STATUS_FILE_VERSION,
    empty: () => ({ version: AUTH_STATUS_FILE_VERSION, projects: {} }),
  });
}

export async function readAuthStatuses(dataDir: string): Promise<Map<string, ProjectAuthStatus>> {
  const file = await authStatusStore(dataDir).read();
  return new Map(Object.entries(file.projects));
}

export async function readAuthStatus(
  dataDir: string,
  projectId: string,
): Promise<ProjectAuthStatus | undefined> {
  return (await readAuthStatuses(dataDir)).get(projectId);
}

/**
 * Sets (or, with `undefined`, clears) a project's status. Writing the same status again keeps
 * its `since`, so watchers and notification dedupe see no change.
 */
export async function writeAuthStatus(
  dataDir: string,
  projectId: string,
  status: Omit<ProjectAuthStatus, 'since'> | undefined,
): Promise<void> {
  await authStatusStore(dataDir).update((file) => {
    const projects = { ...file.projects };
    const current = projects[projectId];
    if (status === undefined) {
      if (!current) return { next: file, result: undefined };
      delete projects[projectId];
    } else if (current && sameStatus(current, status)) {
      return { next: file, result: undefined };
    } else {
      projects[projectId] = { ...status, since: new Date().toISOString() };
    }
    return { next: { ...file, projects }, result: undefined };
  });
}

/**
 * Puts back a status exactly as it was read (its `since` too), or none: a rolled-back change
 * leaves no trace for watchers and notifications.
 */
export async function restoreAuthStatus(
  dataDir: string,
  projectId: string,
  previous: ProjectAuthStatus | undefined,
): Promise<void> {
  await authStatusStore(dataDir).update((file) => {
    const projects = { ...file.projects };
    if (previous) projects[projectId] = previous;
    else delete projects[projectId];
    return { next: { ...file, projects }, result: undefined };
  });
}

function sameStatus(a: ProjectAuthStatus, b: Omit<ProjectAuthStatus, 'since'>): boolean {
  return (
    a.status === b.status &&
    a.message === b.message &&
    (a.scopes ?? []).join(' ') === (b.scopes ?? []).join(' ')
  );
}

export function watchAuthStatuses(dataDir: string, onChange: () => void): FileWatcher {
  return watchFile(path.join(dataDir, AUTH_STATUS_FILE), onChange);
}
