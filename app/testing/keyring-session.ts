/**
 * Keychain tests need a real Secret Service: `npm test` runs inside scripts/with-keyring.sh
 * (private dbus session + unlocked gnome-keyring). Outside it they fail with this hint instead
 * of silently skipping.
 */
export function requireKeyringSession(): void {
  if (process.platform === 'linux' && process.env.SWITCHBOARD_KEYRING_SESSION !== '1') {
    throw new Error(
      'This test needs the private keyring session: run it as `bash scripts/with-keyring.sh npx vitest run <file>` (npm test does this).',
    );
  }
}
