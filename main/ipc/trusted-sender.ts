/** The scheme and host our windows are served from in a packaged or preview build. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';

/**
 * Is a frame URL one of our own pages? Parses the URL and compares its parts; never a string
 * prefix test (`app://switchboard.evil.com` or `http://localhost:5173@evil` must fail).
 * `devServerUrl` is the Vite dev server used by `npm run dev`, if any.
 */
export function isTrustedUrl(frameUrl: string | undefined, devServerUrl?: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl) {
    try {
      const dev = new URL(devServerUrl);
      return url.protocol === dev.protocol && url.host === dev.host;
    } catch {
      return false;
    }
  }
  return false;
}
