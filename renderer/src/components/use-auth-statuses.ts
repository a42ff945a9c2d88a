import { useSyncExternalStore } from 'react';
import type { AuthStatusesDto } from '../../../app/contract/oauth-contract';
import { api } from '../api';

// One subscription for the whole window (outside React): the sign-in states bridges record.
let statuses: AuthStatusesDto = {};
let started = false;
const listeners = new Set<() => void>();

function set(next: AuthStatusesDto): void {
  statuses = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!started) {
    started = true;
    api().events.oauthStatusesChanged(set);
    void api()
      .oauth.statuses()
      .then(set)
      .catch(() => undefined);
  }
  return () => listeners.delete(listener);
}

/** The recorded sign-in state of one project (undefined when it has none). */
export function useAuthStatus(projectId: string): AuthStatusesDto[string] | undefined {
  return useSyncExternalStore(subscribe, () => statuses[projectId]);
}
