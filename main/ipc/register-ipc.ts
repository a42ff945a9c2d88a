import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS } from '../../app/contract/channels.js';
import type { Dispatch } from '../../app/contract/dispatch.js';
import type { DispatchResult } from '../../app/shared/errors.js';
import type { Emit } from '../../app/ipc/event-feeds.js';
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
      error: { code: 'REFUSED', message: `IPC from an untrusted frame was refused (${channel}).` },
    });
  }
  return dispatch(channel, input);
}

/** Sends a push event to every live window of ours. */
export function makeEmit(windows: () => WebContents[]): Emit {
  return (event, payload) => {
    for (const wc of windows()) {
      if (!wc.isDestroyed()) wc.send(event, payload);
    }
  };
}
