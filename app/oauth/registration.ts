import {
  registerClient,
  validateClientMetadataUrl,
  type AuthorizationServerMetadata,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
} from '@modelcontextprotocol/client';
import { SwitchboardError } from '../shared/errors.js';
import type { SecretStore } from '../vault/secret-store.js';
import {
  oauthStore,
  preRegisteredSecretAccount,
  registrationSecretAccount,
  type ClientKind,
} from './grant-store.js';

export interface ClientIdentity {
  kind: ClientKind;
  /** The pre-registered id or the metadata document URL; undefined for DCR before it ran. */
  clientId?: string;
}

/**
 * Which client identity a sign-in will use, in the spec's order, without contacting the AS:
 * pre-registered (per project) → Client ID Metadata Document (AS supports it and a document URL
 * is configured) → dynamic registration (AS has a registration endpoint) → a clear error.
 */
export async function chooseClient(opts: {
  dataDir: string;
  projectId: string;
  projectName: string;
  metadata: AuthorizationServerMetadata;
  clientMetadataUrl?: string;
}): Promise<ClientIdentity> {
  const file = await oauthStore(opts.dataDir).read();
  const pre = file.preRegistered[opts.projectId];
  if (pre) return { kind: 'pre-registered', clientId: pre.clientId };
  if (opts.metadata.client_id_metadata_document_supported === true && opts.clientMetadataUrl) {
    return { kind: 'metadata-document', clientId: opts.clientMetadataUrl };
  }
  if (opts.metadata.registration_endpoint) return { kind: 'dynamic' };
  throw new SwitchboardError(
    'AUTH',
    `The authorization server ${opts.metadata.issuer} offers no dynamic client registration and no client metadata document is configured. Register Switchboard there as a native app with the redirect URI http://127.0.0.1/callback (any port), then: switchboard project edit ${opts.projectName} --oauth-client-id <id> (add --oauth-client-secret-stdin if it has a secret).`,
  );
}

/** The client information for the token requests; registers with DCR when that is the choice. */
export async function resolveClientInformation(opts: {
  dataDir: string;
  projectId: string;
  identity: ClientIdentity;
  issuer: string;
  authorizationServerUrl: string;
  metadata: AuthorizationServerMetadata;
  redirectUri: string;
  scope?: string;
  secrets: SecretStore;
  fetch?: typeof fetch;
}): Promise<OAuthClientInformationMixed> {
  const { identity, projectId } = opts;
  if (identity.kind === 'pre-registered') {
    const secret = await opts.secrets.get(preRegisteredSecretAccount(projectId));
    return { client_id: identity.clientId as string, ...(secret ? { client_secret: secret } : {}) };
  }
  if (identity.kind === 'metadata-document') {
    validateClientMetadataUrl(identity.clientId);
    return { client_id: identity.clientId as string };
  }
  const store = oauthStore(opts.dataDir);
  const saved = (await store.read()).registrations[projectId]?.[opts.issuer];
  if (saved && !saved.importedFrom) {
    const secret = saved.hasSecret
      ? await opts.secrets.get(registrationSecretAccount(projectId, opts.issuer))
      : undefined;
    return { client_id: saved.clientId, ...(secret ? { client_secret: secret } : {}) };
  }
  const clientMetadata: OAuthClientMetadata = {
    client_name: 'Switchboard',
    redirect_uris: [opts.redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: 'native',
  };
  let full;
  try {
    full = await registerClient(opts.authorizationServerUrl, {
      metadata: opts.metadata,
      clientMetadata,
      ...(opts.scope ? { scope: opts.scope } : {}),
      ...(opts.fetch ? { fetchFn: opts.fetch } : {}),
    });
  } catch (error) {
    throw new SwitchboardError(
      'AUTH',
      `Dynamic client registration at ${opts.issuer} failed (${(error as Error).message}). Pre-register Switchboard there and set its client id: switchboard project edit <project> --oauth-client-id <id>.`,
    );
  }
  if (full.client_secret) {
    await opts.secrets.set(registrationSecretAccount(projectId, opts.issuer), full.client_secret);
  }
  await store.update((file) => ({
    next: {
      ...file,
      registrations: {
        ...file.registrations,
        // Keyed by issuer: a registration is never sent to another authorization server.
        [projectId]: {
          ...(file.registrations[projectId] ?? {}),
          [opts.issuer]: {
            clientId: full.client_id,
            kind: 'dynamic',
            hasSecret: Boolean(full.client_secret),
            registeredAt: new Date().toISOString(),
          },
        },
      },
    },
    result: undefined,
  }));
  return {
    client_id: full.client_id,
    ...(full.client_secret ? { client_secret: full.client_secret } : {}),
  };
}
