import { spawn } from 'node:child_process';
import { isLoopbackHost } from '../projects/project.js';
import { SwitchboardError } from '../shared/errors.js';

/**
 * The authorization URL comes from a server's metadata, so it is untrusted: only http(s), plain
 * http only to this machine, and never handed to a shell (CVE-2025-6514 was a crafted
 * `authorization_endpoint` passed to a shell-based opener).
 */
export function validateAuthorizationUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new SwitchboardError(
      'UPSTREAM',
      'The authorization server gave an authorization URL that is not a URL; sign-in stopped.',
    );
  }
  const ok =
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!ok || url.username || url.password) {
    throw new SwitchboardError(
      'UPSTREAM',
      `The authorization server asked to open a ${url.protocol} URL; only https (or http to this machine) is opened. Sign-in stopped — check the server's OAuth metadata.`,
    );
  }
  return url;
}

/**
 * Splits a command line into words as a POSIX shell would (quotes, backslash escapes), without
 * expanding anything: `BROWSER='firefox --new-window'` → ['firefox', '--new-window'].
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
        word += line[++i];
      } else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new SwitchboardError('VALIDATION', 'BROWSER has an unclosed quote.');
  if (inWord) words.push(word);
  return words;
}

/** The argv that opens `url`: `BROWSER` (words + the URL last) or the platform's opener. */
export function openerArgv(
  url: URL,
  env: NodeJS.ProcessEnv,
  platform = process.platform,
): string[] {
  const browser = env.BROWSER?.trim();
  if (browser) {
    const words = splitCommandLine(browser);
    if (words.length > 0) return [...words, url.href];
  }
  if (platform === 'darwin') return ['open', url.href];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url.href];
  return ['xdg-open', url.href];
}

/**
 * Opens the (validated) URL in the user's browser: the argv runs without a shell, detached, so
 * the sign-in never depends on the browser process. Rejects only when the opener cannot start.
 */
export function openInBrowser(
  raw: string | URL,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const url = validateAuthorizationUrl(raw);
  const [command, ...args] = openerArgv(url, env);
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args, {
      stdio: 'ignore',
      detached: process.platform !== 'win32',
      shell: false,
      env,
    });
    child.once('error', (e) =>
      reject(
        new SwitchboardError(
          'UPSTREAM',
          `Could not start the browser (${command}: ${(e as NodeJS.ErrnoException).code ?? e.message}); open the URL printed above yourself, or set BROWSER.`,
        ),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
