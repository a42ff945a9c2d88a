import { consentView } from '../consent/consent-handlers.js';
import { eventContract } from '../contract/contract.js';
import type { Emit } from '../ipc/event-feeds.js';
import type { Services } from '../services.js';
import { progressLine } from './progress-text.js';

/**
 * Pushes provisioning progress (this process) and endpoint and consent changes (any process:
 * the CLI, a bridge re-provisioning) to windows.
 */
export function startProvisioningFeeds(services: Services, emit: Emit): () => void {
  const stopProgress = services.provisioning.onProgress((p) =>
    emit('provisioning.progress', { ...p, message: progressLine(p) }),
  );
  const push = async () => {
    try {
      emit(
        'provisioning.changed',
        eventContract['provisioning.changed'].parse(await services.provisioning.statusAll()),
      );
      emit(
        'consents.changed',
        eventContract['consents.changed'].parse((await services.consents.list()).map(consentView)),
      );
    } catch {
      // Reported by the next explicit call; a feed must not crash main.
    }
  };
  const watcher = services.provisioning.watch(() => void push());
  return () => {
    stopProgress();
    watcher.close();
  };
}
