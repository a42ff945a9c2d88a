import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { acquireFileLock } from '../store/file-lock.js';
import {
  currentPlatformEnv,
  dataDir as defaultDataDir,
  type PlatformEnv,
} from '../paths/data-dir.js';
import type { Project } from '../projects/project.js';
import type { ProjectsService } from '../projects/projects-service.js';
import { SwitchboardError } from '../shared/errors.js';
import { Backups, exists } from './backups.js';
import {
  bridgeLaunch,
  currentLauncherInputs,
  switchboardProjectId,
  type LauncherInputs,
} from './bridge-command.js';
import { parseClientConfig, type ConfigDoc } from './config-doc.js';
import { configDiff, redactWholeDiff } from './diff-preview.js';
import {
  assertWritable,
  encodeLike,
  missingDirs,
  readConfigFile,
  removeStaleTempFiles,
  sha256,
  writeConfigBytes,
  type ConfigSnapshot,
} from './config-file.js';
import { CLIENT_DEFS } from './defs/index.js';
import { InstallLedger } from './install-ledger.js';
import { clientLocations, pickConfigPath } from './locations.js';
import { scanEntry } from './secret-scan.js';
import { CLIENT_IDS, type ClientDef, type ClientId, type Scope } from './types.js';

export interface ClientsServiceOptions {
  dataDir: string;
  projects: ProjectsService;
  /** HOME and env the client paths resolve against (tests pass a temp HOME). */
  platformEnv?: PlatformEnv;
  /** What runs the bridge; defaults to this checkout / this packaged app. */
  launcher?: LauncherInputs | (() => LauncherInputs);
  /** Project-scope default directory. */
  cwd?: string;
}

export interface Target {
  client: ClientId;
  scope?: Scope;
  /** Project directory for scope "project" (default: cwd). */
  dir?: string;
}

export interface InstalledEntry {
  name: string;
  projectId: string;
  projectName: string | undefined;
}

export interface ClientConfigStatus {
  scope: Scope;
  path: string;
  exists: boolean;
  /** Why the file could not be read (path and position), if so. */
  error?: string;
  installed: InstalledEntry[];
}

export interface ClientStatus {
  id: ClientId;
  displayName: string;
  detected: boolean;
  scopes: Scope[];
  configs: ClientConfigStatus[];
  restartNote: string;
  /** What the client needs besides the entry (user scope), if anything. */
  needsNote?: string;
}

/** A change ready to apply: what the user sees and confirms. */
export interface ChangePlan {
  operation: 'install' | 'uninstall' | 'fix';
  client: ClientId;
  clientName: string;
  scope: Scope;
  path: string;
  entryName: string;
  projectId: string | undefined;
  /** Unified diff, secrets redacted. Empty when nothing changes. */
  diff: string;
  changed: boolean;
  createsFile: boolean;
  removesFile: boolean;
  beforeSha256: string;
  restartNote: string;
  /** What the client needs besides the entry before it uses the server, if anything. */
  needsNote?: string;
}

export interface ChangeResult extends ChangePlan {
  backup: string | undefined;
}

/** Install, uninstall and inspect Switchboard's bridge entries in MCP clients' config files. */
export class ClientsService {
  readonly pe: PlatformEnv;
  readonly backups: Backups;
  private readonly ledger: InstallLedger;
  private readonly stateDir: string;

  constructor(private readonly opts: ClientsServiceOptions) {
    this.pe = opts.platformEnv ?? currentPlatformEnv();
    this.stateDir = path.join(opts.dataDir, 'clients');
    this.backups = new Backups(path.join(this.stateDir, 'backups'));
    this.ledger = new InstallLedger(this.stateDir);
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  get projects(): ProjectsService {
    return this.opts.projects;
  }

  def(id: ClientId): ClientDef {
    return CLIENT_DEFS[id];
  }

  /** The client's def as it applies to a target: a scope may keep its servers elsewhere. */
  targetDef(target: Target): ClientDef {
    const def = this.def(target.client);
    const dir = path.resolve(target.dir ?? this.opts.cwd ?? process.cwd());
    const key = target.scope ? def.scopedServersKey?.(target.scope, dir) : undefined;
    return key ? { ...def, serversKey: key } : def;
  }

  /** The config file a target resolves to (the first existing candidate, else the last). */
  async configPath(target: Target): Promise<{ scope: Scope; path: string }> {
    const def = this.def(target.client);
    const scope = target.scope ?? 'user';
    if (!def.scopes.includes(scope)) {
      throw new SwitchboardError(
        'VALIDATION',
        `${def.displayName} has no ${scope} scope; use --scope ${def.scopes.join(' or ')}.`,
      );
    }
    const loc = clientLocations(this.pe)[target.client];
    const dir = path.resolve(target.dir ?? this.opts.cwd ?? process.cwd());
    // `local` (Claude Code) lives in the user file, under the project's key.
    const candidates = scope === 'project' ? loc.project!(dir) : loc.user;
    const p = this.pe.platform === 'win32' ? path.win32 : path.posix;
    return { scope, path: await pickConfigPath(candidates, exists, (f) => p.dirname(f)) };
  }

  /** Every client: detected or not, its config files and which projects are installed. */
  async list(): Promise<ClientStatus[]> {
    const locs = clientLocations(this.pe);
    const projects = await this.opts.projects.list();
    return Promise.all(
      CLIENT_IDS.map(async (id): Promise<ClientStatus> => {
        const def = this.def(id);
        const detected = (await Promise.all(locs[id].detect.map(exists))).some(Boolean);
        const { path: file } = await this.configPath({ client: id, scope: 'user' });
        // Temp files of a write cut short (kill -9) are cleaned up the next time we look.
        await removeStaleTempFiles(path.dirname(file), path.basename(file)).catch(() => 0);
        return {
          id,
          displayName: def.displayName,
          detected,
          scopes: [...def.scopes],
          configs: [await this.configStatus(def, 'user', file, projects)],
          restartNote: def.restartNote,
          ...(def.needs?.('user') ? { needsNote: def.needs('user') } : {}),
        };
      }),
    );
  }

  private async configStatus(
    def: ClientDef,
    scope: Scope,
    file: string,
    projects: Project[],
  ): Promise<ClientConfigStatus> {
    const snap = await readConfigFile(file).catch((e: Error) => e);
    if (snap instanceof Error)
      return { scope, path: file, exists: true, error: snap.message, installed: [] };
    try {
      const doc = parseClientConfig(def, file, snap.text);
      const installed = Object.entries(doc.servers()).flatMap(([name, entry]) => {
        const projectId = switchboardProjectId(def.readStdio(entry));
        if (!projectId) return [];
        return [{ name, projectId, projectName: projects.find((p) => p.id === projectId)?.name }];
      });
      return { scope, path: file, exists: snap.exists, installed };
    } catch (error) {
      return {
        scope,
        path: file,
        exists: snap.exists,
        error: (error as Error).message,
        installed: [],
      };
    }
  }

  /** Non-secret env switches the bridge needs to find the same data and secret store. */
  private bridgeEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    const standard = defaultDataDir({ ...this.pe, env: { ...this.pe.env, SWITCHBOARD_HOME: '' } });
    if (path.resolve(this.opts.dataDir) !== path.resolve(standard))
      env.SWITCHBOARD_HOME = path.resolve(this.opts.dataDir);
    const store = this.pe.env.SWITCHBOARD_SECRET_STORE;
    if (store) env.SWITCHBOARD_SECRET_STORE = store;
    return env;
  }

  launcherInputs(): LauncherInputs {
    const l = this.opts.launcher;
    return typeof l === 'function' ? l() : (l ?? currentLauncherInputs());
  }

  /** The entry we write for a project in a client's format. */
  entryFor(def: ClientDef, projectId: string, name: string): Record<string, unknown> {
    return def.entry(bridgeLaunch(this.launcherInputs(), projectId, this.bridgeEnv()), {
      platform: this.pe.platform,
      name,
    });
  }

  async planInstall(target: Target, projectRef: string): Promise<ChangePlan> {
    return (await this.prepareInstall(target, projectRef)).plan;
  }

  async planUninstall(target: Target, projectRef: string): Promise<ChangePlan> {
    return (await this.prepareUninstall(target, projectRef)).plan;
  }

  async install(
    target: Target,
    projectRef: string,
    opts: { expectSha256?: string } = {},
  ): Promise<ChangeResult> {
    return this.changeLocked(target, () => this.prepareInstall(target, projectRef), {
      expectSha256: opts.expectSha256,
      entryAfter: true,
    });
  }

  async uninstall(
    target: Target,
    projectRef: string,
    opts: { expectSha256?: string } = {},
  ): Promise<ChangeResult> {
    return this.changeLocked(target, () => this.prepareUninstall(target, projectRef), {
      expectSha256: opts.expectSha256,
      entryAfter: false,
    });
  }

  /**
   * Prepares and applies a change under the config file's lock (so the plan is made from the
   * bytes it replaces), then checks the file read back has, or no longer has, our entry.
   */
  private async changeLocked(
    target: Target,
    prepare: () => Promise<Prepared>,
    opts: { expectSha256: string | undefined; entryAfter: boolean },
  ): Promise<ChangeResult> {
    const { path: file } = await this.configPath(target);
    return this.withLock(file, async () => {
      const prepared = await prepare();
      return this.apply(prepared, opts.expectSha256, (text) => {
        if (hasEntry(prepared, text) !== opts.entryAfter) throw verifyFailed(file);
      });
    });
  }

  /** Replaces someone else's entry with our bridge entry (doctor --fix), same safety rules. */
  async planReplace(
    target: Target,
    entryName: string,
    projectId: string,
    secrets: string[],
  ): Promise<Prepared> {
    const def = this.targetDef(target);
    const { scope, path: file } = await this.configPath(target);
    const snap = await readConfigFile(file);
    const doc = parseClientConfig(def, file, snap.text);
    if (!(entryName in doc.servers())) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `${file} no longer has an entry "${entryName}"; run doctor again.`,
      );
    }
    const next = doc.withEntry(entryName, this.entryFor(def, projectId, entryName));
    return this.prepared('fix', def, scope, snap, doc, entryName, projectId, next, secrets);
  }

  async applyReplace(prepared: Prepared, expectSha256?: string): Promise<ChangeResult> {
    return this.withLock(prepared.snap.path, async () =>
      this.apply(prepared, expectSha256 ?? prepared.snap.sha256, (text) => {
        if (!hasEntry(prepared, text)) throw verifyFailed(prepared.snap.path);
      }),
    );
  }

  private async prepareInstall(target: Target, projectRef: string): Promise<Prepared> {
    const def = this.targetDef(target);
    const project = await this.opts.projects.get(projectRef);
    const { scope, path: file } = await this.configPath(target);
    const snap = await readConfigFile(file);
    const doc = parseClientConfig(def, file, snap.text);
    const name = project.name;
    const existing = doc.servers()[name];
    if (existing !== undefined) {
      const owner = switchboardProjectId(def.readStdio(existing));
      if (!owner) {
        const pos = doc.locate(name);
        throw new SwitchboardError(
          'CONFLICT',
          `${file}${pos ? `:${pos.line}:${pos.column}` : ''} already has an MCP server named "${name}" that Switchboard did not write; it was left untouched. Rename or remove that entry, or run \`switchboard doctor --fix\` to move it into Switchboard.`,
          { path: file, entry: name },
        );
      }
      if (owner !== project.id) {
        throw new SwitchboardError(
          'CONFLICT',
          `${file} has a Switchboard entry "${name}" for another project (${owner}); uninstall it first.`,
          { path: file, entry: name },
        );
      }
    }
    const next = doc.withEntry(name, this.entryFor(def, project.id, name));
    return this.prepared('install', def, scope, snap, doc, name, project.id, next, []);
  }

  private async prepareUninstall(target: Target, projectRef: string): Promise<Prepared> {
    const def = this.targetDef(target);
    const { scope, path: file } = await this.configPath(target);
    const snap = await readConfigFile(file);
    const doc = parseClientConfig(def, file, snap.text);
    const project = await this.opts.projects.find(projectRef);
    // Find our entry by project id, or (for a deleted project) by its entry name or id.
    const ours = Object.entries(doc.servers()).filter(([name, entry]) => {
      const id = switchboardProjectId(def.readStdio(entry));
      if (!id) return false;
      return project ? id === project.id : name === projectRef || id === projectRef;
    });
    const found = ours[0];
    if (!found) {
      const other = doc.servers()[project?.name ?? projectRef];
      throw new SwitchboardError(
        'NOT_FOUND',
        other !== undefined
          ? `The "${project?.name ?? projectRef}" entry in ${file} was not written by Switchboard; it was left untouched.`
          : `${def.displayName} (${file}) has no Switchboard entry for "${projectRef}"; nothing to uninstall.`,
        { path: file },
      );
    }
    const [name, entry] = found;
    const projectId = switchboardProjectId(def.readStdio(entry));
    let next: string | Buffer | undefined = doc.withoutEntry(name);
    // Byte-exact undo when the file is still exactly what our install produced.
    const record = await this.ledger.find(file, name);
    const undo = record && record.afterSha256 === snap.sha256;
    if (undo && record.created) next = undefined;
    else if (undo && record.backup) {
      const original = await fs.readFile(record.backup).catch(() => undefined);
      if (original && sha256(original) === record.beforeSha256) next = original;
    }
    const dirs = undo && record.created ? record.createdDirs : [];
    return this.prepared('uninstall', def, scope, snap, doc, name, projectId, next, [], dirs);
  }

  private prepared(
    operation: ChangePlan['operation'],
    def: ClientDef,
    scope: Scope,
    snap: ConfigSnapshot,
    doc: ConfigDoc,
    entryName: string,
    projectId: string | undefined,
    nextOrBytes: string | Buffer | undefined,
    secrets: string[],
    removeDirs: string[] = [],
  ): Prepared {
    const known = [...secrets, ...this.secretsIn(def, doc)];
    const nextBytes =
      nextOrBytes === undefined
        ? undefined
        : Buffer.isBuffer(nextOrBytes)
          ? nextOrBytes
          : encodeLike(snap, nextOrBytes);
    const next = nextBytes === undefined ? undefined : stripBom(nextBytes.toString('utf8'));
    const changed = nextBytes === undefined ? snap.exists : !nextBytes.equals(snap.bytes);
    const diff = changed
      ? redactWholeDiff(
          configDiff(snap.path, snap.exists ? snap.text : '', next ?? '', {
            before: snap.exists ? '' : '(new file)',
            after: next === undefined ? '(removed)' : '',
          }),
          known,
        )
      : '';
    return {
      snap,
      nextBytes,
      removeDirs,
      reparse: (text) => parseClientConfig(def, snap.path, text),
      plan: {
        operation,
        client: def.id,
        clientName: def.displayName,
        scope,
        path: snap.path,
        entryName,
        projectId,
        diff,
        changed,
        createsFile: !snap.exists && nextBytes !== undefined,
        removesFile: snap.exists && nextBytes === undefined,
        beforeSha256: snap.sha256,
        restartNote: def.restartNote,
        ...(def.needs?.(scope) ? { needsNote: def.needs(scope) } : {}),
      },
    };
  }

  /** Values of plaintext secrets anywhere in the file, so previews can redact them. */
  private secretsIn(def: ClientDef, doc: ConfigDoc): string[] {
    return Object.entries(doc.servers()).flatMap(([, entry]) =>
      switchboardProjectId(def.readStdio(entry)) ? [] : scanEntry(entry).map((h) => h.value),
    );
  }

  private async apply(
    prepared: Prepared,
    expectSha256: string | undefined,
    verify: (text: string | undefined) => void,
  ): Promise<ChangeResult> {
    const { snap, plan, nextBytes } = prepared;
    if (expectSha256 && expectSha256 !== snap.sha256) {
      throw new SwitchboardError(
        'CONFLICT',
        `${snap.path} changed since the preview; review the new preview and confirm again.`,
        { path: snap.path },
      );
    }
    if (!plan.changed) return { ...plan, backup: undefined };
    // Everything this change will write besides the config is checked first: a corrupt install
    // ledger must stop the install before the client's file is touched, not after.
    await this.ledger.check();
    await assertWritable(snap);
    const backup = snap.exists ? await this.backups.save(snap.path, snap.bytes) : undefined;
    const createdDirs = snap.exists ? [] : await missingDirs(snap.realPath);
    if (nextBytes === undefined) {
      await fs.rm(snap.realPath);
      for (const dir of [...prepared.removeDirs].reverse())
        await fs.rmdir(dir).catch(() => undefined);
    } else {
      await writeConfigBytes(snap, nextBytes);
    }
    const after = await readConfigFile(snap.path);
    if (nextBytes ? !after.bytes.equals(nextBytes) : after.exists) throw verifyFailed(snap.path);
    verify(after.exists ? after.text : undefined);
    if (plan.operation === 'uninstall') await this.ledger.drop(snap.path, plan.entryName);
    else {
      await this.ledger.put({
        path: snap.path,
        name: plan.entryName,
        beforeSha256: snap.sha256,
        afterSha256: after.sha256,
        backup,
        created: !snap.exists,
        createdDirs,
      });
    }
    return { ...plan, backup };
  }

  private async withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const lockDir = path.join(this.stateDir, 'locks');
    await fs.mkdir(lockDir, { recursive: true, mode: 0o700 });
    const lockfilePath = path.join(lockDir, `${sha256(path.resolve(file)).slice(0, 16)}.lock`);
    // A holder killed mid-install is detected by its pid, not after the staleness window.
    const release = await acquireFileLock(lockfile, file, { lockfilePath, what: file });
    try {
      return await fn();
    } finally {
      await release();
    }
  }
}

export interface Prepared {
  snap: ConfigSnapshot;
  nextBytes: Buffer | undefined;
  removeDirs: string[];
  reparse: (text: string) => ConfigDoc;
  plan: ChangePlan;
}

function hasEntry(prepared: Prepared, text: string | undefined): boolean {
  return text !== undefined && prepared.plan.entryName in prepared.reparse(text).servers();
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function verifyFailed(file: string): SwitchboardError {
  return new SwitchboardError(
    'INTERNAL',
    `Wrote ${file} but reading it back did not show the expected change; the previous version is in Switchboard's backups.`,
    { path: file },
  );
}
