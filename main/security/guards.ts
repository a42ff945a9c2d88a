import { app, session, shell, type Session, type WebContents } from 'electron';
import { isTrustedUrl } from '../ipc/trusted-sender.js';

/** Only well-formed https URLs may leave the app, and only through the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && !url.username && !url.password && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The one way the app opens a link: validated https in the system browser. Returns whether it
 * opened; anything else (javascript:, file:, http:, credentials in the URL) is refused.
 */
export function openExternalSafely(raw: string): boolean {
  if (typeof raw !== 'string' || !isSafeExternalUrl(raw)) return false;
  void shell.openExternal(new URL(raw).toString());
  return true;
}

export function guardWebContents(contents: WebContents, devServerUrl?: string): void {
  // Our pages never navigate away: in-app routes are hash changes, which fire no will-navigate.
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isTrustedUrl(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No window is ever opened by a page; an https link goes to the system browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

/** Permission requests and checks, device access, screen capture and downloads: all denied. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.on('will-download', (event) => event.preventDefault());
}

/** Navigation, new windows, webviews and permission requests denied everywhere. */
export function installGlobalGuards(devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, devServerUrl));
  hardenSession(session.defaultSession);
}
