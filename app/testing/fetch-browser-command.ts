import path from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/** BROWSER for tests: node running app/testing/fetch-browser.mjs (quoted: paths may have spaces). */
export function fetchBrowserCommand(): string {
  const script = path.join(REPO_ROOT, 'app', 'testing', 'fetch-browser.mjs');
  return `'${process.execPath}' '${script}'`;
}

/** In process, what the fetch browser does: follow redirects until the loopback callback answers. */
export async function followRedirects(url: URL): Promise<void> {
  let next = url.href;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(next, { redirect: 'manual' });
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return;
    next = new URL(location, next).href;
  }
}
