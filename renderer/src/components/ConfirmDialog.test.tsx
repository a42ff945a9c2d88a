// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

afterEach(cleanup);

function renderConfirm(onConfirm: () => Promise<void>) {
  const onClose = vi.fn();
  render(
    <ConfirmDialog
      title="Revoke “ci”?"
      message="Clients using this token will be refused."
      confirmLabel="Revoke token"
      onConfirm={onConfirm}
      onClose={onClose}
    />,
  );
  return { onClose, dialog: screen.getByRole('dialog', { name: 'Revoke “ci”?' }) };
}

test('Cancel, the safe choice, has focus and closes without running the action', () => {
  const onConfirm = vi.fn(async () => undefined);
  const { onClose, dialog } = renderConfirm(onConfirm);
  expect(dialog.textContent).toContain('Clients using this token will be refused.');
  const cancel = screen.getByRole('button', { name: 'Cancel' });
  expect(document.activeElement).toBe(cancel);
  fireEvent.click(cancel);
  expect(onClose).toHaveBeenCalledTimes(1);
  expect(onConfirm).not.toHaveBeenCalled();
});

test('a failed action shows its error, re-enables the buttons and stays open', async () => {
  let fail!: (e: Error) => void;
  const onConfirm = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
  const { onClose } = renderConfirm(onConfirm);

  fireEvent.click(screen.getByRole('button', { name: 'Revoke token' }));
  // While it runs, both buttons are disabled and the action says it is working.
  expect(screen.getByRole('button', { name: 'Working…' }).hasAttribute('disabled')).toBe(true);
  expect(screen.getByRole('button', { name: 'Cancel' }).hasAttribute('disabled')).toBe(true);

  await act(async () => fail(new Error('The issuer refused the revocation (HTTP 403).')));
  expect(screen.getByRole('alert').textContent).toBe(
    'The issuer refused the revocation (HTTP 403).',
  );
  expect(onClose).not.toHaveBeenCalled();
  expect(screen.getByRole('dialog')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Revoke token' }).hasAttribute('disabled')).toBe(false);

  // Trying again clears the old error; success closes.
  onConfirm.mockImplementationOnce(async () => undefined);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Revoke token' }));
  });
  expect(onConfirm).toHaveBeenCalledTimes(2);
  expect(screen.queryByRole('alert')).toBeNull();
  expect(onClose).toHaveBeenCalledTimes(1);
});
