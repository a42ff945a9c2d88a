import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS } from '../../app/contract/channels.js';
import type { Dispatch } from '../../app/contract/dispatch.js';
import type { DispatchResult } from '../../app/shared/errors.js';
import type { Emit } from '../../app/ipc/event-feeds.js';
import { redactSecrets } from '../../app/shared/redact.js';
import { isTrustedUrl } from './trusted-sender.js';

/** Registers one `ipcMain.handle` per contract channel; each checks the sender, then dispatches. */
export function registerIpc(dispatch: Dispatch, devServerUrl?: string): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) =>
      handleInvoke(event, channel, input, dispatch, devServerUrl),
    );
  }
  return () => INVOKE_CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}

export function handleInvoke(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  channel: string,
  input: unknown,
  dispatch: Dispatch,
  devServerUrl?: string,
): Promise<DispatchResult> {
  const url = event.senderFrame?.url;
  if (!isTrustedUrl(url, devServerUrl)) {
    return Promise.resolve({
      ok: false,
      error: {
        code: 'REFUSED',
        message: `IPC from an untrusted frame was refused (${String(channel).slice(0, 80)}).`,
      },
    });
  }
  return dispatch(channel, input).then(redactFailure);
}

/** Long enough for any message we write; an error that quotes a huge input is cut. */
const MAX_ERROR_MESSAGE = 1000;

/**
 * Defence in depth for "the renderer never receives a secret": outputs are already held to
 * strict schemas by dispatch, and error messages (which may quote an upstream response or the
 * caller's own input) are redacted and capped here before they cross into a window.
 */
function redactFailure(result: DispatchResult): DispatchResult {
  if (result.ok) return result;
  let message = redactSecrets(result.error.message, []);
  if (message.length > MAX_ERROR_MESSAGE) message = `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
  return message === result.error.message
    ? result
    : { ...result, error: { ...result.error, message } };
}

/** Sends a push event to every live window of ours. */
export function makeEmit(windows: () => WebContents[]): Emit {
  return (event, payload) => {
    for (const wc of windows()) {
      if (!wc.isDestroyed()) wc.send(event, payload);
    }
  };
}
