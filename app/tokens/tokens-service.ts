import type { Project } from '../projects/project.js';
import type { ProjectsService } from '../projects/projects-service.js';
import { SwitchboardError } from '../shared/errors.js';
import type { JsonStore } from '../store/json-store.js';
import type { FileWatcher } from '../store/watch-file.js';
import type { SecretStore } from '../vault/secret-store.js';
import { isUsable, parseExpiry, tokenHealth, type TokenHealth } from './expiry.js';
import { fingerprint, newTokenId } from './fingerprint.js';
import { GatewayIssuer } from './gateway-issuer.js';
import { TokenRecordsReader, tokensStore } from './tokens-file.js';
import {
  TOKEN_NAME_RE,
  TokensFileSchema,
  type TokenKind,
  type TokenRecord,
  type TokenSource,
  type TokensFile,
} from './token.js';

export { LAST_USED_THROTTLE_MS, TOKENS_FILE } from './tokens-file.js';

export type TokenView = TokenRecord & TokenHealth & { projectName: string };

export interface AddTokenInput {
  project: string;
  value: string;
  name?: string;
  kind?: TokenKind;
  source?: TokenSource;
  /** `30d`, `12h`, `never` or an ISO date. */
  expires?: string;
  headerName?: string;
  /** For kind query-secret: the URL query parameter that carries it. */
  queryParam?: string;
}

/** What add/mint/rotate return: the value, to be shown once and never again. */
export interface IssuedToken {
  token: TokenView;
  value: string;
  replaced?: TokenView;
  /** The project had `auth: none` and now uses bearer, so the new token is actually sent. */
  switchedToBearer?: boolean;
}

/**
 * Token records (metadata in tokens.json) and their values (in the secret store, keyed by the
 * record id). Every process — app, CLI, bridges — goes through this service.
 */
export class TokensService {
  readonly store: JsonStore<TokensFile>;
  private readonly records: TokenRecordsReader;

  constructor(
    readonly dataDir: string,
    private readonly projects: ProjectsService,
    private readonly secrets: () => Promise<SecretStore>,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.store = tokensStore(dataDir, TokensFileSchema);
    this.records = new TokenRecordsReader(this.store);
  }

  async list(projectRef?: string): Promise<TokenView[]> {
    const [file, projects] = await Promise.all([this.store.read(), this.projects.list()]);
    const only = projectRef ? await this.projects.get(projectRef) : undefined;
    const names = new Map(projects.map((p) => [p.id, p.name]));
    return file.tokens
      .filter((t) => !only || t.projectId === only.id)
      .filter((t) => names.has(t.projectId))
      .map((t) => view(t, names.get(t.projectId)!))
      .sort(
        (a, b) =>
          a.projectName.localeCompare(b.projectName) || b.createdAt.localeCompare(a.createdAt),
      );
  }

  /** Records of one project, newest first. */
  recordsFor(projectId: string): Promise<TokenRecord[]> {
    return this.records.recordsFor(projectId);
  }

  async secretOf(record: Pick<TokenRecord, 'id'>): Promise<string | undefined> {
    return (await this.secrets()).get(record.id);
  }

  async add(input: AddTokenInput): Promise<IssuedToken> {
    const project = await this.projects.get(input.project);
    const kind = input.kind ?? 'bearer';
    const value = checkValue(input.value);
    if (kind === 'secret-header' && !input.headerName) {
      throw new SwitchboardError(
        'VALIDATION',
        'A secret-header token needs the header name (--header Name).',
      );
    }
    if (kind === 'query-secret' && !input.queryParam) {
      throw new SwitchboardError(
        'VALIDATION',
        'A query-secret token needs the query parameter name (--param name).',
      );
    }
    const record = await this.insert(project, {
      name: input.name,
      kind,
      source: input.source ?? 'pasted',
      value,
      expiresAt: parseExpiry(input.expires),
      headerName: kind === 'secret-header' ? input.headerName : undefined,
      queryParam: kind === 'query-secret' ? input.queryParam : undefined,
    });
    if (kind === 'query-secret' && input.queryParam) {
      await this.projects.markQuerySecret(project.id, input.queryParam);
    }
    // A bearer token on an `auth: none` project would be stored and never sent.
    const switchedToBearer = kind === 'bearer' && project.auth === 'none';
    if (switchedToBearer) await this.projects.edit(project.id, { auth: 'bearer' });
    if (
      kind === 'secret-header' &&
      input.headerName &&
      !project.secretHeaders.includes(input.headerName)
    ) {
      await this.projects.edit(project.id, {
        secretHeaders: [...project.secretHeaders, input.headerName],
      });
    }
    return {
      token: view(record, project.name),
      value,
      ...(switchedToBearer ? { switchedToBearer } : {}),
    };
  }

  /** Mints a project-scoped token through the project's issuing API. */
  async mint(input: { project: string; name?: string; ttl?: string }): Promise<IssuedToken> {
    const project = await this.projects.get(input.project);
    const issuer = await this.issuerFor(project);
    const ttl = input.ttl ?? '30d';
    parseExpiry(ttl); // validate before calling out
    const name = input.name ?? (await this.freeName(project.id, 'default'));
    const minted = await issuer.client.mint({ name, ttl });
    const record = await this.insert(project, {
      name,
      kind: 'bearer',
      source: 'minted',
      value: minted.value,
      expiresAt: minted.expiresAt ?? parseExpiry(ttl),
      issuer: { kind: 'gateway', url: project.issuer!.url, remoteId: minted.remoteId },
    });
    return { token: view(record, project.name), value: minted.value };
  }

  /**
   * Replaces the active bearer (or the named token): mints a new one where the old was minted,
   * otherwise stores the pasted value; then revokes the old one (server-side where possible).
   * Running bridges pick up the new value from tokens.json within a second.
   */
  async rotate(input: {
    project: string;
    name?: string;
    value?: string;
    ttl?: string;
  }): Promise<IssuedToken> {
    const project = await this.projects.get(input.project);
    const records = await this.recordsFor(project.id);
    const old = input.name
      ? records.find((r) => r.name === input.name && !r.revokedAt)
      : records.find((r) => r.kind === 'bearer' && !r.revokedAt);
    if (!old) {
      throw new SwitchboardError(
        'NOT_FOUND',
        input.name
          ? `Project ${project.name} has no active token named "${input.name}". See: switchboard token list --project ${project.name}`
          : `Project ${project.name} has no active bearer token to rotate. Add one: switchboard token add ${project.name} --token-stdin`,
      );
    }
    let issued: IssuedToken;
    const remaining = old.expiresAt ? undefined : 'never';
    if (input.value === undefined && old.issuer && project.issuer) {
      const minted = await this.mint({
        project: project.id,
        name: await this.freeName(project.id, old.name),
        ttl: input.ttl ?? remaining ?? '30d',
      });
      issued = minted;
    } else if (input.value !== undefined) {
      const record = await this.insert(project, {
        name: await this.freeName(project.id, old.name),
        kind: old.kind,
        source: 'pasted',
        value: checkValue(input.value),
        expiresAt: input.ttl ? parseExpiry(input.ttl) : null,
        headerName: old.headerName,
      });
      issued = { token: view(record, project.name), value: input.value };
    } else {
      throw new SwitchboardError(
        'VALIDATION',
        `Token "${old.name}" was not minted by an issuing API, so Switchboard cannot create its replacement: paste the new value (--token-stdin).`,
      );
    }
    const replaced = await this.revokeRecord(project, old);
    // The new token takes over the old name, so scripts and configs keep referring to it.
    const renamed = await this.rename(issued.token.id, old.name);
    return {
      token: view(renamed, project.name),
      value: issued.value,
      replaced: view(replaced, project.name),
    };
  }

  /** Revokes server-side where the issuer allows, deletes the value, keeps the record as revoked. */
  async revoke(input: { project: string; token: string }): Promise<TokenView> {
    const project = await this.projects.get(input.project);
    const record = await this.findByName(project, input.token, { activeFirst: true });
    if (record.revokedAt) return view(record, project.name);
    return view(await this.revokeRecord(project, record), project.name);
  }

  /** Revokes (if still active) and forgets the record entirely. */
  async remove(input: { project: string; token: string }): Promise<TokenView> {
    const project = await this.projects.get(input.project);
    const record = await this.findByName(project, input.token, { activeFirst: true });
    const final = record.revokedAt ? record : await this.revokeRecord(project, record);
    await this.store.update((f) => ({
      next: { ...f, tokens: f.tokens.filter((t) => t.id !== record.id) },
      result: undefined,
    }));
    return view(final, project.name);
  }

  /** Removes every token of a project (used when the project is removed). */
  async removeAllFor(projectId: string): Promise<number> {
    const records = await this.recordsFor(projectId);
    const secrets = await this.secrets();
    for (const r of records) await secrets.delete(r.id).catch(() => false);
    await this.store.update((f) => ({
      next: { ...f, tokens: f.tokens.filter((t) => t.projectId !== projectId) },
      result: undefined,
    }));
    return records.length;
  }

  markUsed(tokenId: string, now = new Date()): Promise<void> {
    return this.records.markUsed(tokenId, now);
  }

  watch(onChange: () => void): FileWatcher {
    return this.records.watch(onChange);
  }

  /** Introspects a minted token at its issuer (active? expiry? last use server-side). */
  async introspect(input: { project: string; token: string }) {
    const project = await this.projects.get(input.project);
    const record = await this.findByName(project, input.token, { activeFirst: true });
    const value = await this.secretOf(record);
    if (!value)
      throw new SwitchboardError(
        'NOT_FOUND',
        `The value of token "${record.name}" is no longer stored.`,
      );
    return (await this.issuerFor(project)).client.introspect(value);
  }

  private async issuerFor(project: Project): Promise<{ client: GatewayIssuer }> {
    if (!project.issuer) {
      throw new SwitchboardError(
        'VALIDATION',
        `Project ${project.name} has no token-issuing API. Set one: switchboard project edit ${project.name} --issuer <url> --issuer-project <slug>`,
      );
    }
    const keyRecord = (await this.recordsFor(project.id)).find(
      (r) => r.kind === 'issuer-key' && isUsable(r),
    );
    const key = keyRecord ? await this.secretOf(keyRecord) : undefined;
    if (!key) {
      throw new SwitchboardError(
        'VALIDATION',
        `Minting needs the account's issuer key for ${project.name}: switchboard token add ${project.name} --kind issuer-key --token-stdin`,
      );
    }
    return { client: new GatewayIssuer(project.issuer, key, this.fetchFn) };
  }

  private async insert(
    project: Project,
    t: {
      name: string | undefined;
      kind: TokenKind;
      source: TokenSource;
      value: string;
      expiresAt: string | null;
      headerName?: string | undefined;
      queryParam?: string | undefined;
      issuer?: TokenRecord['issuer'];
    },
  ): Promise<TokenRecord> {
    const id = newTokenId();
    // Value first: a record must never point at a secret that was not stored.
    await (await this.secrets()).set(id, t.value);
    try {
      return await this.store.update((f) => {
        const name =
          t.name ?? nextFreeName(f.tokens, project.id, t.kind === 'bearer' ? 'default' : t.kind);
        if (!TOKEN_NAME_RE.test(name)) {
          throw new SwitchboardError(
            'VALIDATION',
            `Invalid token name "${name}": letters, digits, dot, dash, underscore.`,
          );
        }
        if (f.tokens.some((x) => x.projectId === project.id && x.name === name && !x.revokedAt)) {
          throw new SwitchboardError(
            'CONFLICT',
            `Project ${project.name} already has an active token named "${name}"; pick another --name or rotate it.`,
          );
        }
        const record: TokenRecord = {
          id,
          projectId: project.id,
          name,
          kind: t.kind,
          ...(t.headerName ? { headerName: t.headerName } : {}),
          ...(t.queryParam ? { queryParam: t.queryParam } : {}),
          source: t.source,
          fingerprint: fingerprint(t.value),
          createdAt: new Date().toISOString(),
          expiresAt: t.expiresAt,
          ...(t.issuer ? { issuer: t.issuer } : {}),
        };
        return { next: { ...f, tokens: [...f.tokens, record] }, result: record };
      });
    } catch (error) {
      await (await this.secrets()).delete(id).catch(() => false);
      throw error;
    }
  }

  private async revokeRecord(project: Project, record: TokenRecord): Promise<TokenRecord> {
    if (record.issuer && project.issuer) {
      const { client } = await this.issuerFor(project);
      await client.revoke(record.issuer.remoteId);
    }
    await (await this.secrets()).delete(record.id);
    const revokedAt = new Date().toISOString();
    return this.store.update((f) => {
      const tokens = f.tokens.map((x) =>
        x.id === record.id ? { ...x, revokedAt, name: archivedName(f.tokens, x) } : x,
      );
      return { next: { ...f, tokens }, result: tokens.find((x) => x.id === record.id)! };
    });
  }

  private async rename(id: string, name: string): Promise<TokenRecord> {
    return this.store.update((f) => {
      const tokens = f.tokens.map((x) => (x.id === id ? { ...x, name } : x));
      return { next: { ...f, tokens }, result: tokens.find((x) => x.id === id)! };
    });
  }

  private async freeName(projectId: string, base: string): Promise<string> {
    return nextFreeName((await this.store.read()).tokens, projectId, base);
  }

  private async findByName(
    project: Project,
    name: string,
    _o: { activeFirst: boolean },
  ): Promise<TokenRecord> {
    const records = await this.recordsFor(project.id);
    const found =
      records.find((r) => r.name === name && !r.revokedAt) ??
      records.find((r) => r.name === name || r.id === name);
    if (!found) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `Project ${project.name} has no token "${name}". See: switchboard token list --project ${project.name}`,
      );
    }
    return found;
  }
}

function view(record: TokenRecord, projectName: string): TokenView {
  return { ...record, ...tokenHealth(record), projectName };
}

function checkValue(value: string): string {
  const v = value.replace(/\r?\n$/, '');
  if (v.trim().length === 0) throw new SwitchboardError('VALIDATION', 'The token is empty.');
  if (/[\r\n]/.test(v))
    throw new SwitchboardError(
      'VALIDATION',
      'The token has a line break in it; paste it on one line.',
    );
  if (/^bearer\s/i.test(v))
    throw new SwitchboardError('VALIDATION', 'Paste the token without the "Bearer " prefix.');
  return v;
}

function nextFreeName(tokens: TokenRecord[], projectId: string, base: string): string {
  const taken = new Set(
    tokens.filter((t) => t.projectId === projectId && !t.revokedAt).map((t) => t.name),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; i < 10_000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  throw new SwitchboardError('CONFLICT', 'Too many tokens with that name.');
}

/** A revoked token gives up its name (so the replacement can take it) but stays listed. */
function archivedName(tokens: TokenRecord[], record: TokenRecord): string {
  const stamp = new Date().toISOString().slice(0, 10);
  const base = `${record.name}.revoked-${stamp}`.slice(0, 64);
  const taken = new Set(
    tokens.filter((t) => t.projectId === record.projectId && t.id !== record.id).map((t) => t.name),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; i < 10_000; i++)
    if (!taken.has(`${base}.${i}`)) return `${base}.${i}`.slice(0, 64);
  return base;
}
