// @vitest-environment jsdom
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { Dialog } from './Dialog';

afterEach(cleanup);

/** An opener button and the dialog it opens, as every caller of Dialog uses it. */
function Harness({ onClose }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <Dialog
          title="Delete everything?"
          onClose={() => {
            onClose?.();
            setOpen(false);
          }}
          footer={
            <>
              <button type="button" data-autofocus onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="button" className="danger">
                Delete
              </button>
            </>
          }
        >
          <label>
            Reason <input />
          </label>
        </Dialog>
      )}
    </>
  );
}

function openFromButton() {
  const opener = screen.getByRole('button', { name: 'Open' });
  opener.focus();
  fireEvent.click(opener);
  return { opener, dialog: screen.getByRole('dialog', { name: 'Delete everything?' }) };
}

test('focus goes to the data-autofocus (safe) element, not the first focusable one', () => {
  render(<Harness />);
  const { dialog } = openFromButton();
  expect(dialog.getAttribute('aria-modal')).toBe('true');
  // The input comes first in the DOM; Cancel is marked as the safe choice.
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
});

test('without data-autofocus the first focusable element gets focus', () => {
  render(
    <Dialog title="Plain" onClose={() => undefined} footer={<button type="button">OK</button>}>
      <input aria-label="First field" />
    </Dialog>,
  );
  expect(document.activeElement).toBe(screen.getByLabelText('First field'));
});

test('Tab from the last element wraps to the first, Shift+Tab from the first to the last', () => {
  render(<Harness />);
  openFromButton();
  const input = screen.getByRole('textbox', { name: 'Reason' });
  const del = screen.getByRole('button', { name: 'Delete' });

  del.focus();
  // fireEvent returns false when the handler called preventDefault (the browser's move is off).
  expect(fireEvent.keyDown(del, { key: 'Tab' })).toBe(false);
  expect(document.activeElement).toBe(input);

  expect(fireEvent.keyDown(input, { key: 'Tab', shiftKey: true })).toBe(false);
  expect(document.activeElement).toBe(del);

  // Inside the dialog, Tab is left to the browser.
  input.focus();
  expect(fireEvent.keyDown(input, { key: 'Tab' })).toBe(true);
  expect(document.activeElement).toBe(input);
});

test('Escape closes the dialog and focus returns to the element that opened it', () => {
  const onClose = vi.fn();
  render(<Harness onClose={onClose} />);
  const { opener, dialog } = openFromButton();
  expect(document.activeElement).not.toBe(opener);

  fireEvent.keyDown(screen.getByRole('textbox', { name: 'Reason' }), { key: 'Escape' });
  expect(onClose).toHaveBeenCalledTimes(1);
  expect(dialog.isConnected).toBe(false);
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(document.activeElement).toBe(opener);
});

test('closing with a button also returns focus to the opener', () => {
  render(<Harness />);
  const { opener } = openFromButton();
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(document.activeElement).toBe(opener);
});
