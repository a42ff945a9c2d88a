import { create } from 'zustand';
import type { SwitchboardClient } from '../../../app/contract/desktop-api';
import { createProjectsSlice, type ProjectsSlice } from './projects-slice';

export type AppState = ProjectsSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createProjectsSlice(...a),
}));

/**
 * Subscribes to push events once, outside React, then loads the first snapshot. Returns a
 * function that removes every listener.
 */
export function connectStore(client: SwitchboardClient): () => void {
  const { setProjects, setProjectsError } = useAppStore.getState();
  const off = [client.events.projectsChanged((list) => setProjects(list))];
  client.projects
    .list()
    .then(setProjects)
    .catch((error: Error) => setProjectsError(error.message));
  return () => off.forEach((f) => f());
}
