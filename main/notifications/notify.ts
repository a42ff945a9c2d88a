import { Notification } from 'electron';
import type { Notice } from '../../app/notifications/notification-gate.js';
import { redactSecrets } from '../../app/shared/redact.js';

/**
 * Main-process notifications (sign-in or permission needed, token expiring, a client trying a
 * disconnected project, test results). The renderer's Notification API would need a permission
 * that our permission handler denies, and notifications must work with no window open.
 * Clicking one opens a Switchboard window (never a browser); where the OS supports buttons
 * (macOS) a "Snooze for a day" button is offered too.
 */
export function showNotification(
  notice: Pick<Notice, 'title' | 'body'>,
  onClick?: () => void,
  onSnooze?: () => void,
): boolean {
  if (!Notification.isSupported()) return false;
  const n = new Notification({
    title: notice.title,
    body: redactSecrets(notice.body, []),
    ...(onSnooze && { actions: [{ type: 'button' as const, text: 'Snooze for a day' }] }),
  });
  if (onClick) n.on('click', onClick);
  if (onSnooze) n.on('action', () => onSnooze());
  n.show();
  return true;
}
