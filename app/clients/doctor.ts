import { SECRET_HEADER_NAME } from '../shared/secret-headers.js';
import { secretQueryParams, withoutQueryParams } from '../shared/query-secrets.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ProjectNameSchema } from '../projects/project.js';
import { writeAuthStatus } from '../oauth/auth-status.js';
import { SwitchboardError } from '../shared/errors.js';
import type { TokenKind } from '../tokens/token.js';
import { switchboardProjectId } from './bridge-command.js';
import type { ChangePlan, ChangeResult, ClientsService, Prepared } from './clients-service.js';
import { parseClientConfig } from './config-doc.js';
import { readConfigFile } from './config-file.js';
import { CLIENT_DEFS } from './defs/index.js';
import { oauthStore, type GrantRecord } from '../oauth/grant-store.js';
import type { Project } from '../projects/project.js';
import {
  findMcpRemoteAuthFiles,
  mcpRemoteHash,
  mcpRemoteHashInputOf,
  readMcpRemoteGrant,
  type McpRemoteAuthFile,
  type McpRemoteGrantState,
} from './mcp-remote-auth.js';
import { isRemoteUrl, remoteOf, scanEntry, type RemoteFound } from './secret-scan.js';
import {
  CLIENT_IDS,
  type ClientId,
  type FindingFix,
  type FindingKind,
  type Scope,
} from './types.js';

export { FINDING_KINDS, type FindingKind } from './types.js';

/** What doctor found. Says where a secret is, never what it is. */
export interface Finding {
  id: string;
  kind: FindingKind;
  /** The client whose config it is; absent for files of other tools (mcp-remote's tokens). */
  client?: ClientId;
  clientName: string;
  scope: Scope;
  path: string;
  entry: string | undefined;
  line: number | undefined;
  column: number | undefined;
  message: string;
  /** What the one-click fix does, if there is one. */
  fix: FindingFix | undefined;
  /** mcp-remote's tokens file: the project it belongs to and whether the grant is usable. */
  grant?: {
    project?: string;
    state: McpRemoteGrantState;
    /** Already imported into that project's keychain entry (the file is a leftover copy). */
    imported: boolean;
  };
}

/** An mcp-remote tokens file the doctor tied to a Switchboard OAuth project. */
export interface McpRemoteGrantFinding {
  finding: Finding;
  project: Project;
  tokensPath: string;
  hash: string;
}

export interface TokenAdder {
  add(input: {
    project: string;
    name?: string;
    value: string;
    kind?: TokenKind;
    source?: 'pasted';
    headerName?: string;
    queryParam?: string;
  }): Promise<unknown>;
}

interface Scanned {
  finding: Finding;
  /** The Switchboard project an entry of ours points at. */
  projectId?: string;
  remote?: RemoteFound;
  /** An mcp-remote entry that signs in with OAuth: it moves to an `oauth` project. */
  oauth?: boolean;
  /** mcp-remote's tokens file for a Switchboard OAuth project. */
  mcpRemote?: { project: Project; tokensPath: string; hash: string };
  secrets: string[];
}

/** Stands in for the id in a fix preview; the project is created only when the fix is applied. */
const NEW_PROJECT_ID = '(id of the new project)';

/**
 * Scans every detected client's user config: plaintext secrets in other entries, broken
 * Switchboard entries, and remote servers Switchboard could manage.
 */
export class Doctor {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: () => TokenAdder,
  ) {}

  async findings(): Promise<Finding[]> {
    return (await this.scan()).map((s) => s.finding);
  }

  private async scan(): Promise<Scanned[]> {
    const statuses = await this.clients.list();
    const projects = await this.clients.projects.list();
    const authFiles = await findMcpRemoteAuthFiles(this.clients.pe);
    // Tokens or a client registration on disk: mcp-remote signed in to that server with OAuth.
    const oauthHashes = new Set(authFiles.map((f) => f.hash));
    /** mcp-remote entries, to tell whose plaintext OAuth tokens a file holds. */
    const viaMcpRemote: {
      client: ClientId;
      clientName: string;
      entry: string;
      hashes: string[];
    }[] = [];
    const out: Scanned[] = [];
    for (const id of CLIENT_IDS) {
      const status = statuses.find((s) => s.id === id)!;
      const def = CLIENT_DEFS[id];
      for (const cfg of status.configs) {
        if (!cfg.exists) continue;
        const base = { client: id, clientName: def.displayName, scope: cfg.scope, path: cfg.path };
        const snap = await readConfigFile(cfg.path).catch(() => undefined);
        let doc;
        try {
          if (!snap) throw new Error(`cannot read ${cfg.path}`);
          doc = parseClientConfig(def, cfg.path, snap.text);
        } catch (error) {
          out.push({
            finding: {
              ...base,
              id: findingId(id, cfg.path, '', 'unreadable-config'),
              kind: 'unreadable-config',
              entry: undefined,
              line: undefined,
              column: undefined,
              message: (error as Error).message,
              fix: undefined,
            },
            secrets: [],
          });
          continue;
        }
        for (const [name, entry] of Object.entries(doc.servers())) {
          const stdio = def.readStdio(entry);
          const at = (sub: (string | number)[] = []) => doc.locate(name, sub) ?? doc.locate(name);
          const make = (
            kind: FindingKind,
            message: string,
            fix: Finding['fix'],
            sub?: (string | number)[],
          ): Finding => ({
            ...base,
            id: findingId(id, cfg.path, name, kind),
            kind,
            entry: name,
            line: at(sub)?.line,
            column: at(sub)?.column,
            message,
            fix,
          });
          const ownId = switchboardProjectId(stdio);
          if (ownId) {
            const project = projects.find((p) => p.id === ownId);
            if (!project) {
              out.push({
                finding: make(
                  'deleted-project',
                  `"${name}" runs the Switchboard bridge for project ${ownId}, which no longer exists; remove the entry.`,
                  'uninstall',
                ),
                secrets: [],
              });
              continue;
            }
            const missing = await missingExecutable(stdio!);
            if (missing) {
              out.push({
                finding: make(
                  'missing-executable',
                  `"${name}" points at ${missing}, which does not exist (Switchboard moved?); reinstall the entry.`,
                  'reinstall',
                ),
                projectId: ownId,
                secrets: [],
              });
            }
            continue;
          }
          const hits = scanEntry(entry);
          const remote = remoteOf(entry, stdio);
          const hashInput =
            remote?.via === 'mcp-remote' ? mcpRemoteHashInputOf(stdio!.args) : undefined;
          const hashes = hashInput ? [mcpRemoteHash(hashInput)] : [];
          if (hashes.length)
            viaMcpRemote.push({ client: id, clientName: def.displayName, entry: name, hashes });
          // No credential in the entry but mcp-remote's OAuth files on disk: the server signs in
          // with OAuth, so it moves to an `oauth` project that needs a sign-in. That holds on
          // loopback too (a local gateway): its tokens belong in the keychain all the same.
          const oauthViaMcpRemote = hits.length === 0 && hashes.some((h) => oauthHashes.has(h));
          const worthManaging = remote && (isRemoteUrl(remote.url) || oauthViaMcpRemote);
          const manageable = worthManaging && remote.unresolved.length === 0;
          for (const hit of hits) {
            out.push({
              finding: {
                ...make(
                  'plaintext-secret',
                  `"${name}" holds a plaintext secret (${hit.why}) at ${formatPath(hit.at)}.` +
                    (manageable
                      ? ' Move it into Switchboard: the secret goes to the keychain and the entry runs the bridge.'
                      : ' Move the value into an environment variable or a secret manager.'),
                  manageable ? 'move-to-switchboard' : undefined,
                  hit.at,
                ),
                // One finding per place; fix ids must still be unique.
                id: findingId(id, cfg.path, name, 'plaintext-secret', formatPath(hit.at)),
              },
              remote: manageable ? remote : undefined,
              secrets: hits.map((h) => h.value),
            });
          }
          if (worthManaging && hits.length === 0) {
            out.push({
              finding: make(
                'manageable-remote',
                oauthViaMcpRemote
                  ? `"${name}" signs in to ${safeUrl(remote.url)} with OAuth through mcp-remote; Switchboard can manage it as an OAuth project (tokens in the keychain, refreshed for every client), after one sign-in.`
                  : `"${name}" connects to ${safeUrl(remote.url)} ${remote.via === 'url' ? 'directly' : `through ${remote.via}`}; Switchboard can manage it (audit, kill switch, keychain).`,
                manageable ? 'move-to-switchboard' : undefined,
              ),
              remote: manageable ? remote : undefined,
              oauth: oauthViaMcpRemote,
              secrets: [],
            });
          }
        }
      }
    }
    const grants = (await oauthStore(this.clients.dataDir).read()).grants;
    for (const file of authFiles) {
      const owner = viaMcpRemote.find((r) => r.hashes.includes(file.hash));
      out.push(await this.authFileFinding(file, owner, projects, grants));
    }
    return out;
  }

  /**
   * One of mcp-remote's files: which Switchboard OAuth project it belongs to (its file name is
   * the hash of the project's URL, as mcp-remote computes it), whether its grant is still usable
   * and whether it was imported already — never a value.
   */
  private async authFileFinding(
    file: McpRemoteAuthFile,
    owner: { client: ClientId; clientName: string; entry: string } | undefined,
    projects: Project[],
    grants: Record<string, GrantRecord>,
  ): Promise<Scanned> {
    const what = file.kind === 'tokens' ? 'OAuth tokens' : 'OAuth client credentials';
    const fields = file.fields.length ? ` (${file.fields.join(', ')})` : '';
    const project = projects.find(
      (p) => p.auth === 'oauth' && projectHashes(p).includes(file.hash),
    );
    const tokensPath = path.join(path.dirname(file.path), `${file.hash}_tokens.json`);
    const grant = project ? await readMcpRemoteGrant(tokensPath, file.hash) : undefined;
    const ours = project ? grants[project.id] : undefined;
    // A pending import (not verified yet, or interrupted) is no sign-in: bridges do not use it.
    const signedIn = Boolean(ours && !ours.needsSignIn && !ours.pending);
    const imported = signedIn && ours?.imported?.hash === file.hash;
    const base =
      `mcp-remote keeps ${what}${fields} in a plaintext file readable by anything running as you` +
      (owner ? ` (used by "${owner.entry}")` : '') +
      '. Values are not shown.';
    let message = `${base} Once the server is signed in through Switchboard (keychain), delete the file.`;
    let fix: FindingFix | undefined;
    if (project && imported) {
      message = `${base} Its grant is imported into project ${project.name} (keychain) and was verified; this plaintext copy can be deleted.`;
      fix = file.kind === 'tokens' || !(await exists(tokensPath)) ? 'delete-plaintext' : undefined;
    } else if (project && signedIn) {
      // Never offered over a working sign-in: that grant is the one clients use now.
      message = `${base} Project ${project.name} is signed in through Switchboard already (keychain) and does not use this copy: delete the file.`;
    } else if (project && grant?.state === 'expired') {
      message = `${base} It belongs to project ${project.name}, but its access token has expired and it has no refresh token: sign in with switchboard login ${project.name}, then delete the file.`;
    } else if (project && grant && !grant.client) {
      message = `${base} It belongs to project ${project.name}, but mcp-remote kept no client registration beside it, so it cannot be refreshed from Switchboard: sign in with switchboard login ${project.name}.`;
    } else if (project && grant) {
      const still =
        grant.state === 'valid'
          ? 'its access token is still valid'
          : 'its access token has expired, but it has a refresh token';
      message = `${base} It belongs to project ${project.name} and ${still}: Switchboard can import it into the keychain (after the same consent as a sign-in, verified by a call), so no new sign-in is needed.`;
      fix = file.kind === 'tokens' ? 'import-grant' : undefined;
    } else if (project && file.kind === 'client-info') {
      message = `${base} It is the client registration of project ${project.name}; it has no tokens beside it: sign in with switchboard login ${project.name}, then delete the file.`;
    }
    return {
      finding: {
        id: findingId(owner?.client, file.path, owner?.entry ?? '', 'plaintext-oauth-tokens'),
        kind: 'plaintext-oauth-tokens',
        ...(owner ? { client: owner.client } : {}),
        clientName: owner ? `${owner.clientName} via mcp-remote` : 'mcp-remote',
        scope: 'user',
        path: file.path,
        entry: owner?.entry,
        line: undefined,
        column: undefined,
        message,
        fix,
        ...(project && (grant || imported)
          ? {
              grant: {
                project: project.name,
                state: grant?.state ?? 'valid',
                imported,
              },
            }
          : {}),
      },
      ...(project ? { mcpRemote: { project, tokensPath, hash: file.hash } } : {}),
      secrets: [],
    };
  }

  /** The mcp-remote grant a finding names, for an import or a delete (fix checked). */
  async mcpRemoteGrant(
    findingId: string,
    fix: 'import-grant' | 'delete-plaintext',
  ): Promise<McpRemoteGrantFinding> {
    const found = await this.resolve(findingId);
    if (found.finding.fix !== fix || !found.mcpRemote) {
      throw new SwitchboardError(
        'REFUSED',
        fix === 'delete-plaintext'
          ? 'Switchboard deletes mcp-remote’s plaintext files only after their grant was imported and verified; import it first (switchboard doctor --fix).'
          : `This finding has no grant to import: ${found.finding.message}`,
      );
    }
    return { finding: found.finding, ...found.mcpRemote };
  }

  private async resolve(findingId: string): Promise<Scanned> {
    const found = (await this.scan()).find((s) => s.finding.id === findingId);
    if (!found) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `No doctor finding ${findingId} any more (fixed already?); run doctor again.`,
      );
    }
    if (!found.finding.fix) {
      throw new SwitchboardError(
        'REFUSED',
        `Switchboard cannot fix this one by itself: ${found.finding.message}`,
      );
    }
    return found;
  }

  /** The change a fix will make, as a preview (secrets redacted). */
  async planFix(
    findingId: string,
  ): Promise<ChangePlan & { newProject: string | undefined; signIn?: boolean }> {
    const found = await this.resolve(findingId);
    const f = found.finding;
    const target = targetOf(f);
    entryFixOnly(f);
    if (f.fix === 'uninstall') {
      return { ...(await this.clients.planUninstall(target, f.entry!)), newProject: undefined };
    }
    if (f.fix === 'reinstall') {
      return {
        ...(await this.clients.planInstall(target, found.projectId!)),
        newProject: undefined,
      };
    }
    const name = await this.freeProjectName(f.entry!);
    const prepared = await this.clients.planReplace(
      target,
      f.entry!,
      NEW_PROJECT_ID,
      found.secrets,
    );
    return { ...prepared.plan, newProject: name, ...(found.oauth ? { signIn: true } : {}) };
  }

  /**
   * Applies a fix. For a remote entry: creates a project from its URL and non-secret headers,
   * puts each secret into the keychain through the tokens service, then rewrites the entry to
   * the bridge (backup, atomic write, verify). A failure before the rewrite removes the project.
   */
  async fix(
    findingId: string,
  ): Promise<ChangeResult & { newProject: string | undefined; signIn?: boolean }> {
    const found = await this.resolve(findingId);
    const f = found.finding;
    const target = targetOf(f);
    entryFixOnly(f);
    if (f.fix === 'uninstall') {
      return { ...(await this.clients.uninstall(target, f.entry!)), newProject: undefined };
    }
    if (f.fix === 'reinstall') {
      return { ...(await this.clients.install(target, found.projectId!)), newProject: undefined };
    }
    const remote = found.remote!;
    const plain: Record<string, string> = {};
    const secret: { header: string; value: string }[] = [];
    for (const [header, value] of Object.entries(remote.headers)) {
      if (
        /^authorization$/i.test(header) ||
        SECRET_HEADER_NAME.test(header) ||
        found.secrets.includes(value)
      ) {
        secret.push({ header, value });
      } else plain[header] = value;
    }
    const bearer = secret.find(
      (s) => /^authorization$/i.test(s.header) && /^Bearer\s+\S/i.test(s.value),
    );
    // Query secrets become query-secret tokens (keychain); userinfo cannot be moved safely.
    const { url, querySecrets } = splitUrlCredentials(remote.url);
    const name = await this.freeProjectName(f.entry!);
    const projects = this.clients.projects;
    const project = await projects.add({
      name,
      url,
      auth: found.oauth ? 'oauth' : bearer ? 'bearer' : 'none',
      displayName: f.entry!,
      headers: plain,
    });
    let prepared: Prepared;
    try {
      for (const q of querySecrets) {
        await this.tokens().add({
          project: project.id,
          value: q.value,
          kind: 'query-secret',
          source: 'pasted',
          queryParam: q.param,
        });
      }
      for (const s of secret) {
        if (s === bearer) {
          await this.tokens().add({
            project: project.id,
            value: s.value.replace(/^Bearer\s+/i, ''),
            kind: 'bearer',
            source: 'pasted',
          });
        } else {
          await this.tokens().add({
            project: project.id,
            value: s.value,
            kind: 'secret-header',
            source: 'pasted',
            headerName: s.header,
          });
        }
      }
      prepared = await this.clients.planReplace(target, f.entry!, project.id, found.secrets);
    } catch (error) {
      await projects.remove(project.id).catch(() => undefined);
      throw error;
    }
    const result = await this.clients.applyReplace(prepared);
    // The secrets now live in the keychain; the backups we just took must not keep a copy.
    await this.clients.backups.scrub(prepared.plan.path, [
      ...found.secrets,
      ...secret.map((s) => s.value),
      ...querySecrets.map((q) => q.value),
    ]);
    if (found.oauth) {
      // The app shows "Sign in" for the project until the user has signed in once.
      await writeAuthStatus(this.clients.dataDir, project.id, {
        status: 'sign-in-needed',
        message: `Moved from mcp-remote: sign in to ${project.name} (switchboard login ${project.name}).`,
      });
      return { ...result, newProject: project.name, signIn: true };
    }
    return { ...result, newProject: project.name };
  }

  private async freeProjectName(entryName: string): Promise<string> {
    const base =
      entryName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 50) || 'server';
    const taken = new Set((await this.clients.projects.list()).map((p) => p.name));
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!taken.has(candidate) && ProjectNameSchema.safeParse(candidate).success) return candidate;
    }
    throw new SwitchboardError('CONFLICT', `No free project name for "${entryName}".`);
  }
}

/** The fixes that rewrite a client's entry (planFix/fix); the mcp-remote ones have their own. */
export const ENTRY_FIXES: readonly FindingFix[] = ['move-to-switchboard', 'reinstall', 'uninstall'];

function entryFixOnly(f: Finding): void {
  if (!f.fix || !ENTRY_FIXES.includes(f.fix)) {
    throw new SwitchboardError(
      'REFUSED',
      'This finding is about mcp-remote’s OAuth files, not an entry: use the import (or delete) it offers.',
    );
  }
}

/** The hashes mcp-remote names a project's server files by (with and without its headers). */
function projectHashes(p: Project): string[] {
  const urls = new Set([p.url]);
  // A URL mcp-remote was given without a path shows as `…/` once parsed.
  if (p.url.endsWith('/')) urls.add(p.url.slice(0, -1));
  const out: string[] = [];
  for (const url of urls) {
    out.push(mcpRemoteHash({ url }));
    if (Object.keys(p.headers ?? {}).length) out.push(mcpRemoteHash({ url, headers: p.headers }));
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** A fixable finding is always in a client's config. */
function targetOf(f: Finding): { client: ClientId; scope: Scope } {
  if (!f.client)
    throw new SwitchboardError('REFUSED', `Switchboard cannot fix this one: ${f.message}`);
  return { client: f.client, scope: f.scope };
}

function findingId(
  client: ClientId | undefined,
  file: string,
  entry: string,
  kind: FindingKind,
  where = '',
): string {
  return [client ?? '', file, entry, kind, where].join('|');
}

function formatPath(at: (string | number)[]): string {
  return at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/**
 * An entry's URL split for a project: secret-named query parameters come out as values for the
 * keychain. A user name or password in it is refused: it is Basic auth, which Switchboard does
 * not manage, and moving the entry would silently drop it.
 */
function splitUrlCredentials(raw: string): {
  url: string;
  querySecrets: { param: string; value: string }[];
} {
  const u = new URL(raw);
  if (u.username || u.password) {
    throw new SwitchboardError(
      'REFUSED',
      "This entry's URL carries a user name and password (Basic auth), which Switchboard cannot keep in the keychain; remove them from the URL (use a token instead), then run doctor again.",
    );
  }
  const params = secretQueryParams(u);
  const querySecrets = params.map((param) => ({ param, value: u.searchParams.get(param) ?? '' }));
  return { url: withoutQueryParams(u, params).href, querySecrets };
}

/** A URL without userinfo or query (either can hold a secret). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The first of the command and its script argument that does not exist, if any. */
async function missingExecutable(launch: {
  command: string;
  args: string[];
}): Promise<string | undefined> {
  const candidates = [launch.command];
  const script = launch.args[0];
  if (script && path.isAbsolute(script)) candidates.push(script);
  for (const file of candidates) {
    if (!path.isAbsolute(file)) continue;
    try {
      await fs.access(file);
    } catch {
      return file;
    }
  }
  return undefined;
}
