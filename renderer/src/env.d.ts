import type { DesktopApi } from '../../app/contract/desktop-api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the e2e harness shim (browser target). */
    switchboard: DesktopApi;
  }
}
export {};
