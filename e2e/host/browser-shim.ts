// Runs in the page before the renderer (browser e2e target only; never in a production build).
// It builds window.switchboard with the same createDesktopApi() the preload uses; only the
// transport differs: a Playwright binding into the Node test host instead of ipcRenderer.
import { createDesktopApi, type ContractTransport } from '../../app/contract/desktop-api';
import type { DispatchResult } from '../../app/shared/errors';

declare global {
  interface Window {
    __switchboardInvoke: (channel: string, input: unknown) => Promise<DispatchResult>;
    __switchboardEmit: (event: string, payload: unknown) => void;
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

const transport: ContractTransport = {
  // Structured clone keeps the page's objects and the host's apart, as contextBridge does.
  invoke: (channel, input) =>
    window.__switchboardInvoke(channel, input === undefined ? undefined : structuredClone(input)),
  subscribe: (event, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
};

Object.defineProperty(window, '__switchboardEmit', {
  value: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
});
Object.defineProperty(window, 'switchboard', {
  value: Object.freeze(createDesktopApi(transport)),
  enumerable: true,
});
