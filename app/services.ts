import os from 'node:os';
import { dataDir as defaultDataDir } from './paths/data-dir.js';
import { ProjectsService } from './projects/projects-service.js';
import { SettingsService } from './settings/settings-service.js';
import { TokensService } from './tokens/tokens-service.js';
import { ClientsService } from './clients/clients-service.js';
import { Doctor } from './clients/doctor.js';
import { McpRemoteImporter } from './clients/mcp-remote-import.js';
import { AuditStore, type AuditApi } from './audit/audit-store.js';
import { AuditWorkerStore } from './audit/worker-store.js';
import { ConsentService } from './consent/consent-service.js';
import { OAuthService } from './oauth/oauth-service.js';
import { ProvisioningService } from './provisioning/provisioning-service.js';
import { configuredSecretStoreKind, openSecretStore } from './vault/open-secret-store.js';
import type { SecretStore } from './vault/secret-store.js';

/** The composition root shared by the app's main process, the CLI and the e2e test host. */
export interface Services {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  projects: ProjectsService;
  settings: SettingsService;
  tokens: TokensService;
  /** MCP client config installs (paths follow `env`'s HOME/XDG/APPDATA) and doctor. */
  clients: ClientsService;
  doctor: Doctor;
  /** doctor's import of mcp-remote's plaintext OAuth grants into the keychain. */
  mcpRemoteImport: McpRemoteImporter;
  /**
   * The audit log reader: indexes lazily on first use, tails only while subscribed. In the app
   * its index lives in a worker thread (`auditWorker`), so building it never blocks main.
   */
  audit: AuditApi;
  /** The consent ledger: grants made on the user's behalf (OAuth, full-scope provisioning). */
  consents: ConsentService;
  /** OAuth sign-in, grants and sign-out (bridges use app/oauth/oauth-session.ts instead). */
  oauth: OAuthService;
  /** Per-tenant endpoints (full-scope provisioning) of `auth: provisioned` projects. */
  provisioning: ProvisioningService;
  /** The secret store in force (keychain unless the user chose the insecure file store). */
  secrets(): Promise<SecretStore>;
}

export function createServices(
  opts: {
    dataDir?: string;
    env?: NodeJS.ProcessEnv;
    secrets?: SecretStore;
    fetch?: typeof fetch;
    /** The bundled audit worker entry: index and queries run in a worker thread. */
    auditWorker?: string | URL;
    /** Who writes lifecycle audit events (consents…): the app or the CLI. */
    source?: 'app' | 'cli';
  } = {},
): Services {
  const env = opts.env ?? process.env;
  const dir = opts.dataDir ?? defaultDataDir();
  const projects = new ProjectsService(dir);
  const settings = new SettingsService(dir);
  // The choice is read on every call: Settings or the CLI may have switched stores since the
  // last one, and the old store no longer holds the secrets.
  let opened: SecretStore | undefined;
  const secrets = async (): Promise<SecretStore> => {
    if (opts.secrets) return opts.secrets;
    const kind = await configuredSecretStoreKind(dir, env);
    if (opened?.kind !== kind) opened = openSecretStore(dir, kind);
    return opened;
  };
  const tokens = new TokensService(dir, projects, secrets, opts.fetch ?? fetch);
  const clients = new ClientsService({
    dataDir: dir,
    projects,
    platformEnv: { platform: process.platform, env, home: env.HOME || os.homedir() },
  });
  const doctor = new Doctor(clients, () => tokens);
  const audit: AuditApi = opts.auditWorker
    ? new AuditWorkerStore(dir, { script: opts.auditWorker })
    : new AuditStore(dir);
  const consents = new ConsentService(dir, opts.source ?? 'cli');
  const oauth = new OAuthService({
    dataDir: dir,
    env,
    projects,
    consents,
    secrets,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    installedClients: async (projectId) =>
      (await clients.list())
        .filter((c) =>
          c.configs.some((cfg) => cfg.installed.some((e) => e.projectId === projectId)),
        )
        .map((c) => c.id),
  });
  // Withdrawing an OAuth consent (Settings → Consents, `consent revoke`) signs out.
  consents.onWithdraw('oauth-grant', async (record) => {
    await oauth.signOut(record.projectId, { keepConsent: true });
  });
  const mcpRemoteImport = new McpRemoteImporter({
    dataDir: dir,
    env,
    doctor,
    consents,
    oauth,
    secrets,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const provisioning = new ProvisioningService({
    dataDir: dir,
    projects,
    tokens,
    consents,
    secrets,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  consents.onWithdraw('full-scope-provisioning', (record, o) => provisioning.withdraw(record, o));
  return {
    dataDir: dir,
    env,
    projects,
    settings,
    tokens,
    secrets,
    clients,
    doctor,
    mcpRemoteImport,
    audit,
    consents,
    oauth,
    provisioning,
  };
}
