import { create } from 'zustand';
import type { SwitchboardClient } from '../../../app/contract/desktop-api';
import { createProjectsSlice, type ProjectsSlice } from './projects-slice';
import { createTokensSlice, type TokensSlice } from './tokens-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = ProjectsSlice & TokensSlice & UiSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createProjectsSlice(...a),
  ...createTokensSlice(...a),
  ...createUiSlice(...a),
}));

/**
 * Subscribes to push events once, outside React, then loads the first snapshot. Returns a
 * function that removes every listener.
 */
export function connectStore(client: SwitchboardClient): () => void {
  const { setProjects, setProjectsError, setTokens, setInsecureStoreWarning } =
    useAppStore.getState();
  const off = [
    client.events.projectsChanged((list) => setProjects(list)),
    client.events.tokensChanged((list) => setTokens(list)),
  ];
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
