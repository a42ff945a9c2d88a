import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';
import { SwitchboardError } from '../shared/errors.js';
import { readAuthStatuses } from './auth-status.js';
import { validateAuthorizationUrl } from './browser-opener.js';

type OAuthChannels =
  | 'oauth.statuses'
  | 'oauth.detect'
  | 'oauth.preview'
  | 'oauth.signIn'
  | 'oauth.cancel'
  | 'oauth.grant'
  | 'oauth.signOut';

/** Opens a validated authorization URL in the user's browser: `shell.openExternal` in main. */
export type OpenExternalPort = (url: string) => Promise<void>;

export function oauthHandlers(
  services: Services,
  openExternal: OpenExternalPort | undefined,
): Pick<Handlers, OAuthChannels> {
  const { oauth } = services;
  return {
    'oauth.statuses': async () => Object.fromEntries(await readAuthStatuses(services.dataDir)),
    'oauth.detect': ({ url }) => oauth.detect(url),
    'oauth.preview': ({ project, scopes }) => oauth.preview(project, scopes),
    'oauth.signIn': ({ project, scopes }) => {
      if (!openExternal) {
        throw new SwitchboardError(
          'REFUSED',
          'This window cannot open a browser; sign in from a terminal: switchboard login <project>.',
        );
      }
      return oauth.start(project, {
        ...(scopes ? { scopes } : {}),
        // Validated again here: nothing but http(s) reaches the shell's opener.
        open: (url) => openExternal(validateAuthorizationUrl(url).href),
      });
    },
    'oauth.cancel': ({ signInId }) => ({ cancelled: oauth.cancel(signInId) }),
    'oauth.grant': ({ project }) => oauth.grant(project),
    'oauth.signOut': async ({ project }) => ({ revoked: (await oauth.signOut(project)).revoked }),
  };
}
