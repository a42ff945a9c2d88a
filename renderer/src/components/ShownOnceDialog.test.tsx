// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ShownOnceDialog } from './ShownOnceDialog';

// jsdom has no clipboard; a recording stand-in for navigator.clipboard (the real one needs a
// browser with a focused page and permissions).
const writeText = vi.fn<(text: string) => Promise<void>>();
beforeEach(() => {
  writeText.mockReset();
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
});
afterEach(cleanup);

const VALUE = 'sbx_once_0123456789abcdefghijklmnop';

function renderShown() {
  const onClose = vi.fn();
  render(
    <ShownOnceDialog tokenName="ci" fingerprint="a1b2c3d4e5f6" value={VALUE} onClose={onClose} />,
  );
  return { onClose };
}

test('shows the value, its fingerprint and that it is shown only once; Done has focus', () => {
  const { onClose } = renderShown();
  const dialog = screen.getByRole('dialog', { name: 'New token “ci”' });
  expect((screen.getByLabelText('Token value') as HTMLInputElement).value).toBe(VALUE);
  expect((screen.getByLabelText('Token value') as HTMLInputElement).readOnly).toBe(true);
  expect(dialog.textContent).toContain('Fingerprint a1b2c3d4e5f6');
  expect(dialog.getAttribute('aria-describedby')).toBe('shown-once-note');
  expect(document.getElementById('shown-once-note')?.textContent).toContain('only time');
  const done = screen.getByRole('button', { name: 'Done' });
  expect(document.activeElement).toBe(done);
  fireEvent.click(done);
  expect(onClose).toHaveBeenCalledTimes(1);
});

test('Copy writes the exact value with navigator.clipboard and says so', async () => {
  writeText.mockResolvedValue(undefined);
  renderShown();
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
  });
  expect(writeText).toHaveBeenCalledExactlyOnceWith(VALUE);
  expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy();
  expect(screen.queryByRole('alert')).toBeNull();
});

test('a refused copy tells the user to copy by hand', async () => {
  writeText.mockRejectedValue(new Error('Document is not focused.'));
  renderShown();
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
  });
  expect(screen.getByRole('alert').textContent).toContain('select the text and copy it yourself');
  expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
});
