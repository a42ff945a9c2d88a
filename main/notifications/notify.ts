import { Notification } from 'electron';
import type { TrayNotice } from '../../app/tray/tray-notices.js';
import { redactSecrets } from '../../app/shared/redact.js';

/**
 * Main-process notifications (token expiring, upstream auth failure, consent needed, tray
 * results). The renderer's Notification API would need a permission that our permission handler
 * denies, and notifications must work with no window open. Clicking one opens Switchboard.
 */
export function showNotification(
  notice: Pick<TrayNotice, 'title' | 'body'>,
  onClick?: () => void,
): boolean {
  if (!Notification.isSupported()) return false;
  const n = new Notification({ title: notice.title, body: redactSecrets(notice.body, []) });
  if (onClick) n.on('click', onClick);
  n.show();
  return true;
}
