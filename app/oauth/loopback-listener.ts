import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../shared/errors.js';

export const CALLBACK_PATH = '/callback';
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface LoopbackListener {
  /** http://127.0.0.1:<ephemeral port>/callback */
  redirectUri: string;
  /** Resolves with the query of the callback whose `state` matched; rejects on timeout/cancel. */
  callback: Promise<URLSearchParams>;
  close(): void;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * The redirect target for one sign-in: 127.0.0.1 only, an ephemeral port (so several sign-ins
 * never fight over one), open until one callback with the expected `state` arrives, the timeout
 * passes or `signal` aborts. Only the app and the CLI's `login` create one — never a bridge.
 */
export async function startLoopbackListener(opts: {
  state: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<LoopbackListener> {
  let settle: { resolve: (q: URLSearchParams) => void; reject: (e: Error) => void } | undefined;
  const callback = new Promise<URLSearchParams>(
    (resolve, reject) => (settle = { resolve, reject }),
  );
  callback.catch(() => undefined);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    // A callback without our state is not ours (a stale tab, or a forged request): ignore it.
    if (url.searchParams.get('state') !== opts.state) {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end(
        PAGE(
          'Not this sign-in',
          'This link does not belong to the sign-in Switchboard is waiting for.',
        ),
      );
      return;
    }
    const failed = url.searchParams.has('error');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      failed
        ? PAGE('Sign-in did not finish', 'Return to Switchboard to see what happened.')
        : PAGE('Signed in', 'You can close this tab and return to Switchboard.'),
    );
    finish(() => settle?.resolve(url.searchParams));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const timer = setTimeout(
    () =>
      finish(() =>
        settle?.reject(
          new SwitchboardError(
            'AUTH',
            `Sign-in timed out after ${Math.round(timeoutMs / 1000)} s without an answer from the browser; start it again.`,
          ),
        ),
      ),
    timeoutMs,
  );
  const onAbort = () =>
    finish(() => settle?.reject(new SwitchboardError('REFUSED', 'Sign-in cancelled.')));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let done = false;
  function finish(then: () => void): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections();
    then();
  }
  if (opts.signal?.aborted) onAbort();
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    callback,
    close: () =>
      finish(() => settle?.reject(new SwitchboardError('REFUSED', 'Sign-in cancelled.'))),
  };
}
