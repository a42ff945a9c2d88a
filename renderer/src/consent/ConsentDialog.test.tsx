// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { ConsentDialog } from './ConsentDialog';

afterEach(cleanup);

function renderConsent(onConfirm: () => Promise<void>, acknowledge?: string) {
  const onCancel = vi.fn();
  render(
    <ConsentDialog
      title="Sign in to acme?"
      summary={<p>Switchboard will ask acme’s sign-in server for access.</p>}
      facts={[
        { label: 'Server', value: 'https://mcp.acme.example/mcp' },
        { label: 'Scopes', value: 'read write admin', badge: 'Full scope' },
      ]}
      footnote="Nothing changes if you cancel."
      {...(acknowledge ? { acknowledge } : {})}
      confirmLabel="Sign in"
      busyLabel="Waiting for the browser…"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />,
  );
  return { onCancel, dialog: screen.getByRole('dialog', { name: 'Sign in to acme?' }) };
}

test('shows every fact and the badge as text; Cancel has focus; Escape cancels', () => {
  const onConfirm = vi.fn(async () => undefined);
  const { onCancel, dialog } = renderConsent(onConfirm);
  expect(dialog.textContent).toContain('https://mcp.acme.example/mcp');
  expect(dialog.textContent).toContain('Full scope');
  expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  fireEvent.keyDown(dialog, { key: 'Escape' });
  expect(onCancel).toHaveBeenCalledTimes(1);
  expect(onConfirm).not.toHaveBeenCalled();
});

test('with an acknowledgement, the grant button works only after the box is ticked', async () => {
  const onConfirm = vi.fn(async () => undefined);
  const { onCancel } = renderConsent(onConfirm, 'I understand');
  const grant = screen.getByRole('button', { name: 'Sign in' });
  expect(grant.hasAttribute('disabled')).toBe(true);
  fireEvent.click(grant);
  expect(onConfirm).not.toHaveBeenCalled();
  fireEvent.click(screen.getByLabelText('I understand'));
  expect(grant.hasAttribute('disabled')).toBe(false);
  await act(async () => {
    fireEvent.click(grant);
  });
  expect(onConfirm).toHaveBeenCalledTimes(1);
  expect(onCancel).toHaveBeenCalledTimes(1);
});

test('shows progress while the grant runs and its error when it fails, staying open', async () => {
  let fail!: (e: Error) => void;
  const onConfirm = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
  const { onCancel } = renderConsent(onConfirm);
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(screen.getByRole('status').textContent).toContain('Waiting for the browser…');
  await act(async () => fail(new Error('The sign-in timed out; try again.')));
  expect(screen.getByRole('alert').textContent).toContain('timed out');
  expect(onCancel).not.toHaveBeenCalled();
});
