import { secretQueryParams } from '../shared/query-secrets.js';
import type { Project } from './project.js';

/**
 * Credentials in a stored project URL, from before Switchboard refused them at input: the
 * project keeps working, but its `user:password@` or `?api_key=` sits in projects.json. Doctor
 * reports them (names only, never a value) and `doctor --fix` moves query secrets into the
 * keychain as `query-secret` tokens, like a new project's.
 */
export interface UrlCredentialFinding {
  id: string;
  kind: 'url-credential';
  project: string;
  /** `query`: secret-named query parameters (moved by --fix); `userinfo`: Basic auth (not). */
  where: 'query' | 'userinfo';
  /** The query parameters holding a secret (names only). */
  params: string[];
  message: string;
  fix: 'move-to-keychain' | undefined;
}

export interface QuerySecretAdder {
  add(input: {
    project: string;
    value: string;
    kind: 'query-secret';
    source: 'pasted';
    queryParam: string;
  }): Promise<unknown>;
}

export function findUrlCredentials(projects: readonly Project[]): UrlCredentialFinding[] {
  const out: UrlCredentialFinding[] = [];
  for (const p of projects) {
    let url: URL;
    try {
      url = new URL(p.url);
    } catch {
      continue; // the projects file's own validation reports it
    }
    if (url.username || url.password) {
      out.push({
        id: `project|${p.id}|userinfo`,
        kind: 'url-credential',
        project: p.name,
        where: 'userinfo',
        params: [],
        message: `Project ${p.name}'s URL carries a user name and password (sent as Basic auth, stored in projects.json). Switchboard cannot keep Basic auth in the keychain: remove it with switchboard project edit ${p.name} --url <the URL without user:password@>, then store a token the server accepts: switchboard token add ${p.name} --token-stdin (or --kind secret-header --header <Name>).`,
        fix: undefined,
      });
    }
    // An empty value holds nothing to move.
    const params = secretQueryParams(url).filter((name) => url.searchParams.get(name));
    if (params.length > 0) {
      out.push({
        id: `project|${p.id}|query`,
        kind: 'url-credential',
        project: p.name,
        where: 'query',
        params,
        message: `Project ${p.name}'s URL holds a secret in its query (${params.join(', ')}), stored in projects.json and printed with the URL; doctor --fix moves it into the keychain and adds it only when connecting.`,
        fix: 'move-to-keychain',
      });
    }
  }
  return out;
}

/**
 * Moves a project's secret query parameters into the keychain, one `query-secret` token each;
 * adding the token strips the parameter from the stored URL. Returns the parameters moved.
 */
export async function moveQuerySecrets(
  project: Project,
  tokens: QuerySecretAdder,
): Promise<string[]> {
  const url = new URL(project.url);
  const moved: string[] = [];
  for (const param of secretQueryParams(url)) {
    const value = url.searchParams.get(param);
    if (value === null || value === '') continue;
    await tokens.add({
      project: project.id,
      value,
      kind: 'query-secret',
      source: 'pasted',
      queryParam: param,
    });
    moved.push(param);
  }
  return moved;
}
