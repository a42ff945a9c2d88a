import { dialog } from 'electron';
import type { TrayFailure } from '../../app/tray/run-tray-action.js';
import { redactSecrets } from '../../app/shared/redact.js';

export const FAILURE_BUTTONS = ['Open details', 'Close'] as const;

/**
 * A failed tray action as a native dialog: what happened, "Open details" and "Close" (the
 * default, and what Escape picks). Resolves with whether the user asked for the details.
 */
export async function showFailureDialog(failure: TrayFailure): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Switchboard',
    message: failure.title,
    detail: redactSecrets(failure.message, []),
    buttons: [...FAILURE_BUTTONS],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}
