import type { EventChannel } from '../contract/channels.js';
import { createDesktopApi, type DesktopApi } from '../contract/desktop-api.js';
import { createDispatcher } from '../contract/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices, type Services } from '../services.js';
import { InsecureFileStore } from '../vault/file-store.js';
import { makeTempHome, type TempHome } from './temp-home.js';

export interface InProcessWindow {
  tmp: TempHome;
  services: Services;
  /** What a window gets as `window.switchboard`. */
  api: DesktopApi;
  /** Delivers an event to the window's subscribers, as main's feeds do. */
  emit(channel: EventChannel, payload: unknown): void;
}

/**
 * The window's API against the real main-side pieces, for jsdom tests of renderer components:
 * real services on a temp data dir, the real handlers and dispatcher (input and output
 * validated), the real DesktopApi from createDesktopApi. Only the IPC hop is an in-process call;
 * `afterAnswer` may hold an answer back (to answer calls out of order). Secrets go to the
 * explicit InsecureFileStore in the temp dir: jsdom tests run outside the private keyring
 * session (scripts/with-keyring.sh), so no OS keychain is reachable there.
 */
export async function inProcessWindow(
  prefix: string,
  opts: { afterAnswer?: (channel: string) => Promise<void> | void } = {},
): Promise<InProcessWindow> {
  const tmp = await makeTempHome(prefix);
  const services = createServices({
    dataDir: tmp.dataDir,
    env: tmp.env,
    secrets: new InsecureFileStore(tmp.dataDir),
  });
  const dispatch = createDispatcher(createHandlers(services));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = createDesktopApi({
    invoke: async (channel, input) => {
      const answer = await dispatch(channel, input);
      await opts.afterAnswer?.(channel);
      return answer;
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
  return {
    tmp,
    services,
    api,
    emit: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
  };
}
