import { describe, expect, it, vi } from 'vitest';

// Electron cannot run here (no binary): dialog records what it would show and answers `reply`.
const shown: Record<string, unknown>[] = [];
let reply = 0;
vi.mock('electron', () => ({
  dialog: {
    showMessageBox: async (opts: Record<string, unknown>) => {
      shown.push(opts);
      return { response: reply };
    },
  },
}));

const { showFailureDialog } = await import('./failure-dialog.js');

describe('failed tray action dialog', () => {
  it('says what happened, redacted, with "Open details" and a safe default of Close', async () => {
    const failure = {
      title: 'Could not start the sign-in',
      message: 'The server rejected Bearer abcdefghijklmnopqrst (HTTP 401).',
      details: { type: 'open-main' as const, target: { projectId: 'prj_a' } },
    };
    expect(await showFailureDialog(failure)).toBe(true);
    expect(shown[0]).toMatchObject({
      type: 'error',
      message: 'Could not start the sign-in',
      detail: 'The server rejected Bearer [REDACTED] (HTTP 401).',
      buttons: ['Open details', 'Close'],
      defaultId: 1,
      cancelId: 1,
    });
    reply = 1;
    expect(await showFailureDialog(failure)).toBe(false);
  });
});
