import { create } from 'zustand';
import type { SwitchboardClient } from '../../../app/contract/desktop-api';
import { createProjectsSlice, type ProjectsSlice } from './projects-slice';
import { createTokensSlice, type TokensSlice } from './tokens-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createProvisioningSlice, type ProvisioningSlice } from './provisioning-slice';

export type AppState = ProjectsSlice & TokensSlice & UiSlice & ProvisioningSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createProjectsSlice(...a),
  ...createTokensSlice(...a),
  ...createUiSlice(...a),
  ...createProvisioningSlice(...a),
}));

/**
 * Subscribes to push events once, outside React, then loads the first snapshot. Returns a
 * function that removes every listener.
 */
export function connectStore(client: SwitchboardClient): () => void {
  const { setProjects, setProjectsError, setTokens, setInsecureStoreWarning } =
    useAppStore.getState();
  const { setEndpoints, setProvisioningProgress, setConsents } = useAppStore.getState();
  const off = [
    client.events.projectsChanged((list) => setProjects(list)),
    client.events.tokensChanged((list) => setTokens(list)),
    client.events.provisioningChanged((list) => setEndpoints(list)),
    client.events.provisioningProgress((p) => setProvisioningProgress(p.projectId, p)),
    client.events.consentsChanged((list) => setConsents(list)),
  ];
  void refreshProvisioning(client);
  client.projects
    .list()
    .then(setProjects)
    .catch((error: Error) => setProjectsError(error.message));
  client.tokens
    .list(undefined)
    .then(setTokens)
    .catch(() => setTokens([]));
  client.settings
    .get()
    .then((s) => setInsecureStoreWarning(s.insecureStoreWarning))
    .catch(() => undefined);
  return () => off.forEach((f) => f());
}

/** After a call that changed state, reload it now rather than waiting for the file watcher. */
export async function refresh(client: SwitchboardClient): Promise<void> {
  const [projects, tokens] = await Promise.all([
    client.projects.list(),
    client.tokens.list(undefined),
  ]);
  useAppStore.getState().setProjects(projects);
  useAppStore.getState().setTokens(tokens);
}

/** Endpoint states and consents, reloaded after a call that changed them. */
export async function refreshProvisioning(client: SwitchboardClient): Promise<void> {
  const [endpoints, consents] = await Promise.all([
    client.provisioning.statusAll().catch(() => []),
    client.consents.list(undefined).catch(() => []),
  ]);
  useAppStore.getState().setEndpoints(endpoints);
  useAppStore.getState().setConsents(consents);
}
