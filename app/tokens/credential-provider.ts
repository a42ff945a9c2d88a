import path from 'node:path';
import type { Project } from '../projects/project.js';
import { ProjectsReader } from '../projects/projects-file.js';
import { SETTINGS_FILE } from '../settings/settings-file.js';
import { SwitchboardError } from '../shared/errors.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import { openConfiguredSecretStore } from '../vault/open-secret-store.js';
import type { SecretStore } from '../vault/secret-store.js';
import { OAuthSession } from '../oauth/oauth-session.js';
import type { CredentialProvider, CredentialState } from './credentials.js';
import { provisionedCredential, watchProvisioningInputs } from '../provisioning/bridge-endpoint.js';
import { isUsable, tokenHealth } from './expiry.js';
import { resolveQuerySecrets } from './url-secrets.js';
import type { TokenRecord } from './token.js';
import { LAST_USED_THROTTLE_MS, TokenRecordsReader } from './tokens-file.js';

interface Resolved {
  state: CredentialState;
  /** Records whose values are in use, for last-used and expiry re-checks. */
  used: TokenRecord[];
}

/**
 * The bridge's view of a project's credentials: the active bearer (by auth kind) and every
 * secret header, read from tokens.json and the secret store. Cached, and invalidated when
 * tokens.json or projects.json changes (so a rotation reaches running bridges within a second);
 * expiry is re-checked on every call, so an expired token is never sent.
 */
export function createCredentialProvider(opts: {
  dataDir: string;
  project: Project;
  secrets?: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** The mcp-remote importer's check call: use the grant it has not verified yet. */
  usePendingImport?: boolean;
}): CredentialProvider {
  // Readers without zod: this runs in every bridge, where start-up time matters.
  const projects = new ProjectsReader(opts.dataDir);
  // Opened per resolve (resolves are cached until a file changes), so switching the secret
  // store reaches a running bridge like a rotation does.
  const secretStore = async (): Promise<SecretStore> =>
    opts.secrets ?? openConfiguredSecretStore(opts.dataDir, opts.env ?? process.env);
  const tokens = TokenRecordsReader.open(opts.dataDir);
  // OAuth projects: the bearer comes from app/oauth (refresh, lease, sign-in state).
  const oauth =
    opts.project.auth === 'oauth'
      ? new OAuthSession({
          dataDir: opts.dataDir,
          project: opts.project,
          secrets: secretStore,
          ...(opts.usePendingImport ? { usePendingImport: true } : {}),
        })
      : undefined;
  let cached: Promise<Resolved> | undefined;
  let lastMarked = 0;
  const invalidate = () => {
    cached = undefined;
  };
  const watchers: FileWatcher[] = [
    tokens.watch(invalidate),
    projects.watch(invalidate),
    watchFile(path.join(opts.dataDir, SETTINGS_FILE), invalidate),
    ...(opts.project.auth === 'provisioned'
      ? watchProvisioningInputs(opts.dataDir, invalidate)
      : []),
  ];

  const resolve = async (): Promise<Resolved> => {
    // Three independent file reads (settings, projects, tokens), in the thread pool together:
    // this is on the path of a bridge's first request (~1.5 ms of its cold start one by one).
    const [store, found, allRecords] = await Promise.all([
      secretStore(),
      projects.find(opts.project.id),
      tokens.recordsFor(opts.project.id),
    ]);
    const project = found ?? opts.project;
    const records = allRecords.filter((r) => !r.revokedAt);
    const headers: Record<string, string> = {};
    const secretValues: string[] = [];
    const used: TokenRecord[] = [];
    let fp: string | undefined;
    let url: string | undefined;

    if (project.auth === 'bearer' || project.auth === 'provisioned') {
      const kinds = project.auth === 'bearer' ? ['bearer'] : ['provisioned', 'bearer'];
      const candidates = records.filter((r) => kinds.includes(r.kind));
      const usable = candidates.find((r) => isUsable(r));
      if (!usable) {
        const expired = candidates.find((r) => tokenHealth(r).status === 'expired');
        return {
          used,
          state: expired
            ? {
                ok: false,
                reason: 'expired',
                message: `The token "${expired.name}" of project ${project.name} expired — rotate it in Switchboard (switchboard token rotate ${project.name}).`,
              }
            : {
                ok: false,
                reason: 'missing',
                message: `Project ${project.name} has no token — add one in Switchboard (switchboard token add ${project.name} --token-stdin).`,
              },
        };
      }
      const value = await store.get(usable.id);
      if (!value) {
        return {
          used,
          state: {
            ok: false,
            reason: 'missing',
            message: `The token "${usable.name}" of project ${project.name} is missing from the keychain — add it again in Switchboard.`,
          },
        };
      }
      headers.Authorization = `Bearer ${value}`;
      secretValues.push(value);
      fp = usable.fingerprint;
      used.push(usable);
      // --- per-tenant provisioning (app/provisioning/): the endpoint and the bearer it takes.
      if (project.auth === 'provisioned') {
        const ep = await provisionedCredential({
          dataDir: opts.dataDir,
          project,
          apiKey: value,
          keyFingerprint: usable.fingerprint,
          secrets: store,
        });
        headers.Authorization = `Bearer ${ep.bearer}`;
        if (ep.bearer !== value) secretValues.push(ep.bearer);
        fp = ep.fingerprint;
        url = ep.url;
      }
      // --- end per-tenant provisioning
    }

    for (const headerName of project.secretHeaders) {
      const rec = records.find(
        (r) => r.kind === 'secret-header' && r.headerName === headerName && isUsable(r),
      );
      const value = rec ? await store.get(rec.id) : undefined;
      if (!rec || !value) {
        return {
          used,
          state: {
            ok: false,
            reason: 'missing',
            message: `Project ${project.name} needs a value for the secret header ${headerName} — add it: switchboard token add ${project.name} --kind secret-header --header ${headerName} --token-stdin.`,
          },
        };
      }
      headers[headerName] = value;
      secretValues.push(value);
      used.push(rec);
    }
    const q = await resolveQuerySecrets(project, records, store);
    if (!q.ok) return { used, state: { ok: false, reason: 'missing', message: q.message } };
    secretValues.push(...q.values);
    used.push(...q.used);
    const state: CredentialState = {
      ok: true,
      headers,
      secretValues,
      ...(fp === undefined ? {} : { fingerprint: fp }),
      ...(url === undefined ? {} : { url }),
      ...(q.values.length > 0 ? { query: q.query } : {}),
    };
    return { state, used };
  };

  const withOAuth = async (state: CredentialState): Promise<CredentialState> => {
    if (!oauth || !state.ok) return state;
    const bearer = await oauth.current();
    if (!bearer.ok) return bearer;
    return {
      ...state,
      headers: { ...state.headers, Authorization: `Bearer ${bearer.token}` },
      fingerprint: bearer.fingerprint,
      secretValues: [...state.secretValues, bearer.token],
    };
  };

  return {
    async current() {
      try {
        cached ??= resolve();
        const r = await cached;
        // Expiry is time-based: re-check each call so a token is never sent after it expires.
        if (r.state.ok && r.used.some((t) => !isUsable(t))) {
          invalidate();
          cached = resolve();
          return await withOAuth((await cached).state);
        }
        // Without OAuth the state is final: no further await on every request.
        return oauth ? await withOAuth(r.state) : r.state;
      } catch (error) {
        invalidate();
        return {
          ok: false,
          reason: 'keychain',
          message:
            error instanceof SwitchboardError
              ? `Project ${opts.project.name}: ${error.message}`
              : `Project ${opts.project.name}: cannot read its credentials (${(error as Error).message}).`,
        };
      }
    },
    ...(oauth ? { rejected: (r) => oauth.rejected(r) } : {}),
    markUsed() {
      oauth?.markUsed();
      const now = Date.now();
      if (now - lastMarked < LAST_USED_THROTTLE_MS || !cached) return;
      lastMarked = now;
      void cached
        .then((r) => Promise.all(r.used.map((t) => tokens.markUsed(t.id))))
        .catch(() => undefined);
    },
    close() {
      oauth?.close();
      watchers.forEach((w) => w.close());
    },
  };
}
