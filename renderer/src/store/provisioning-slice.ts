import type { StateCreator } from 'zustand';
import type { ConsentViewDto } from '../../../app/contract/consent-contract';
import type {
  EndpointStatusDto,
  ProvisioningProgressDto,
} from '../../../app/contract/provisioning-contract';
import type { AppState } from './index';

export interface ProvisioningSlice {
  /** Endpoint state of each provisioned project, by project id. */
  endpoints: Record<string, EndpointStatusDto>;
  /** The latest progress of a provisioning running in the app, by project id. */
  provisioningProgress: Record<string, ProvisioningProgressDto | undefined>;
  consents: ConsentViewDto[];
  setEndpoints: (list: EndpointStatusDto[]) => void;
  setEndpoint: (status: EndpointStatusDto) => void;
  setProvisioningProgress: (projectId: string, p: ProvisioningProgressDto | undefined) => void;
  setConsents: (list: ConsentViewDto[]) => void;
}

export const createProvisioningSlice: StateCreator<AppState, [], [], ProvisioningSlice> = (
  set,
) => ({
  endpoints: {},
  provisioningProgress: {},
  consents: [],
  setEndpoints: (list) => set({ endpoints: Object.fromEntries(list.map((e) => [e.projectId, e])) }),
  setEndpoint: (status) =>
    set((s) => ({ endpoints: { ...s.endpoints, [status.projectId]: status } })),
  setProvisioningProgress: (projectId, p) =>
    set((s) => ({ provisioningProgress: { ...s.provisioningProgress, [projectId]: p } })),
  setConsents: (consents) => set({ consents }),
});
