import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopApi, type ContractTransport } from '../app/contract/desktop-api.js';
import type { DispatchResult } from '../app/shared/errors.js';

// The preload's whole job: expose one typed object built from the contract. Each method is bound
// to its own channel; nothing generic reaches the page.
const transport: ContractTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<DispatchResult>,
  subscribe: (event, listener) => {
    const handler = (_e: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', createDesktopApi(transport));
