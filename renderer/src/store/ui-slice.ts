import type { StateCreator } from 'zustand';
import type { AppState } from './index';

export interface UiSlice {
  selectedProjectId: string | undefined;
  insecureStoreWarning: string | undefined;
  select: (projectId: string | undefined) => void;
  setInsecureStoreWarning: (warning: string | undefined) => void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  selectedProjectId: undefined,
  insecureStoreWarning: undefined,
  select: (selectedProjectId) => set({ selectedProjectId }),
  setInsecureStoreWarning: (insecureStoreWarning) => set({ insecureStoreWarning }),
});
