import path from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/** BROWSER for tests: node running app/testing/fetch-browser.mjs (quoted: paths may have spaces). */
export function fetchBrowserCommand(): string {
  const script = path.join(REPO_ROOT, 'app', 'testing', 'fetch-browser.mjs');
  return `'${process.execPath}' '${script}'`;
}
