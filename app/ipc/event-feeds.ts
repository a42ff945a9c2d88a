import type { EventChannel } from '../contract/channels.js';
import { eventContract, type PayloadOf } from '../contract/contract.js';
import type { Services } from '../services.js';
import { startAuditFeed } from '../audit/audit-feed.js';
import { startProgressFeed } from '../audit/progress-feed.js';
import { readAuthStatuses, watchAuthStatuses } from '../oauth/auth-status.js';
import { watchGrants } from '../oauth/grant-store.js';
import { startProvisioningFeeds } from '../provisioning/provisioning-feed.js';

export type Emit = <E extends EventChannel>(event: E, payload: PayloadOf<E>) => void;

/**
 * Pushes state to windows whenever it changes on disk, whichever process changed it (the CLI,
 * a bridge, the app itself). Returns a function that stops every feed.
 */
export function startEventFeeds(services: Services, emit: Emit): () => void {
  const pushProjects = async () => {
    try {
      const list = await services.projects.list();
      emit('projects.changed', eventContract['projects.changed'].parse(list));
    } catch {
      // A corrupt or locked file is reported by the next explicit call; a feed must not crash main.
    }
  };
  const pushTokens = async () => {
    try {
      emit('tokens.changed', eventContract['tokens.changed'].parse(await services.tokens.list()));
    } catch {
      // As above: reported by the next explicit call.
    }
  };
  const watcher = services.projects.watch(() => {
    void pushProjects();
    void pushTokens();
  });
  const tokenWatcher = services.tokens.watch(() => void pushTokens());
  // Token status is time-based (expiring-soon, expired): refresh it even when no file changes.
  const statusTimer = setInterval(() => void pushTokens(), 60_000);
  statusTimer.unref();
  const stopAudit = startAuditFeed(services.audit, emit);
  const stopProgress = startProgressFeed(services.audit, emit);
  const stopSignIns = services.oauth.onProgress((p) =>
    emit('oauth.progress', eventContract['oauth.progress'].parse(p)),
  );
  // Bridges record sign-in-needed / permission-needed here; windows show it within a second.
  const pushAuthStatuses = () => {
    readAuthStatuses(services.dataDir)
      .then((m) =>
        emit(
          'oauth.statusesChanged',
          eventContract['oauth.statusesChanged'].parse(Object.fromEntries(m)),
        ),
      )
      .catch(() => undefined);
  };
  const authWatcher = watchAuthStatuses(services.dataDir, pushAuthStatuses);
  // A grant's view also depends on oauth.json (an import's pending flag, a bridge's refresh),
  // which can change after the status file did: without this a window could keep what it read
  // in between (an import's "sign-in needed" while the grant was still pending).
  const grantWatcher = watchGrants(services.dataDir, pushAuthStatuses);
  const stopProvisioning = startProvisioningFeeds(services, emit);
  return () => {
    stopSignIns();
    authWatcher.close();
    grantWatcher.close();
    stopProvisioning();
    watcher.close();
    tokenWatcher.close();
    clearInterval(statusTimer);
    stopAudit();
    stopProgress();
  };
}
