import type { StateCreator } from 'zustand';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { AppState } from './index';

export interface ProjectsSlice {
  projects: ProjectView[];
  projectsLoaded: boolean;
  projectsError: string | undefined;
  setProjects: (projects: ProjectView[]) => void;
  setProjectsError: (message: string) => void;
}

export const createProjectsSlice: StateCreator<AppState, [], [], ProjectsSlice> = (set) => ({
  projects: [],
  projectsLoaded: false,
  projectsError: undefined,
  setProjects: (projects) => set({ projects, projectsLoaded: true, projectsError: undefined }),
  setProjectsError: (message) => set({ projectsError: message, projectsLoaded: true }),
});
