// @vitest-environment jsdom
import fs from 'node:fs/promises';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createDesktopApi } from '../../../app/contract/desktop-api';
import { createDispatcher, type Dispatch } from '../../../app/contract/dispatch';
import { createHandlers } from '../../../app/ipc/handlers';
import { autostartPath, isAutostartEnabled, setAutostart } from '../../../app/platform/autostart';
import type { HostPorts } from '../../../app/settings/settings-handlers';
import { createServices } from '../../../app/services';
import { makeTempHome, type TempHome } from '../../../app/testing/temp-home';
import { APP_VERSION } from '../../../app/version';
import { useAppStore } from '../store';
import { SettingsDialog } from './SettingsDialog';
import type {} from '../env';

// The panel against the real handlers, dispatcher and services on a temp HOME, through the real
// window.switchboard (createDesktopApi); only the IPC hop is an in-process call. No test here
// reads or writes a secret, so no keychain is needed (jsdom runs outside the keyring session).
let tmp: TempHome;
let dispatch: Dispatch;
// One window.switchboard for the file (the renderer caches its client); each test swaps the host.
window.switchboard = createDesktopApi({
  invoke: (channel, input) => dispatch(channel, input),
  subscribe: () => () => undefined,
});

// jsdom has no clipboard; a recording stand-in for navigator.clipboard.
const writeText = vi.fn<(text: string) => Promise<void>>();

function host(env: NodeJS.ProcessEnv, ports?: HostPorts) {
  dispatch = createDispatcher(createHandlers(createServices({ dataDir: tmp.dataDir, env }), ports));
}

const startup = () => screen.getByRole('region', { name: 'Startup' });

/** Launch at login as the e2e host and Linux main do it: the XDG entry, in the temp HOME. */
const autostartPort = (env: NodeJS.ProcessEnv): HostPorts => ({
  launchAtLogin: {
    get: () => isAutostartEnabled(env),
    set: (on) => setAutostart(on, { exec: '/opt/Switchboard/switchboard', env }),
  },
});

beforeEach(async () => {
  tmp = await makeTempHome('sb-settings-ui-');
  writeText.mockReset();
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  useAppStore.setState({ insecureStoreWarning: undefined, tokens: [] });
});
afterEach(async () => {
  cleanup();
  await tmp.cleanup();
});

test('launch at login writes the autostart entry; Close has focus first', async () => {
  host(tmp.env, autostartPort(tmp.env));
  render(<SettingsDialog onClose={() => undefined} />);
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  const box = screen.getByRole('checkbox', { name: 'Launch at login' });
  await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
  expect((box as HTMLInputElement).checked).toBe(false);

  await act(async () => {
    fireEvent.click(box);
  });
  const entry = await vi.waitFor(() => fs.readFile(autostartPath(tmp.env), 'utf8'));
  expect(entry).toContain('Exec=/opt/Switchboard/switchboard');
  await waitFor(() => expect(within(startup()).queryByRole('status')).toBeNull());
  expect((box as HTMLInputElement).checked).toBe(true);

  await act(async () => {
    fireEvent.click(box);
  });
  await waitFor(() => expect(within(startup()).queryByRole('status')).toBeNull());
  expect((box as HTMLInputElement).checked).toBe(false);
  await expect(fs.access(autostartPath(tmp.env))).rejects.toThrow();
});

test('a failed launch-at-login change shows why and puts the real state back', async () => {
  host(tmp.env, autostartPort(tmp.env));
  // Someone else's entry at our path: Switchboard refuses to overwrite it.
  await fs.mkdir(autostartPath(tmp.env).replace(/\/[^/]+$/, ''), { recursive: true });
  await fs.writeFile(autostartPath(tmp.env), '[Desktop Entry]\nExec=other\n');
  render(<SettingsDialog onClose={() => undefined} />);
  const box = screen.getByRole('checkbox', { name: 'Launch at login' }) as HTMLInputElement;
  await waitFor(() => expect(box.disabled).toBe(false));
  await act(async () => {
    fireEvent.click(box);
  });
  await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('not written by'));
  expect(box.checked).toBe(false);
  expect(await fs.readFile(autostartPath(tmp.env), 'utf8')).toContain('Exec=other');
});

test('switching the store asks first; Escape cancels only the confirmation', async () => {
  host(tmp.env);
  const onClose = vi.fn();
  render(<SettingsDialog onClose={onClose} />);
  const settings = screen.getByRole('dialog', { name: 'Settings' });
  await waitFor(() => expect(screen.getByTestId('secret-store').textContent).toContain('keychain'));
  // Without the desktop shell's port the switch is shown off and says why.
  const box = screen.getByRole('checkbox', { name: 'Launch at login' }) as HTMLInputElement;
  expect(box.disabled).toBe(true);
  expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent).toContain(
    'Only the Switchboard desktop app',
  );

  const switchButton = screen.getByRole('button', { name: 'Store secrets in a plain file…' });
  switchButton.focus();
  fireEvent.click(switchButton);
  let confirm = screen.getByRole('dialog', { name: 'Store secrets in a plain file?' });
  // A sibling of the Settings dialog, not inside it: its keys are its own.
  expect(settings.contains(confirm)).toBe(false);
  expect(confirm.textContent).toContain('Anyone who can read your home folder can read them');
  expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
  fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
  expect(screen.queryByRole('dialog', { name: 'Store secrets in a plain file?' })).toBeNull();
  expect(onClose).not.toHaveBeenCalled();
  expect(document.activeElement).toBe(switchButton);

  fireEvent.click(switchButton);
  confirm = screen.getByRole('dialog', { name: 'Store secrets in a plain file?' });
  await act(async () => {
    fireEvent.click(within(confirm).getByRole('button', { name: 'Use the plain file' }));
  });
  await waitFor(() =>
    expect(screen.getByTestId('secret-store').textContent).toContain('Plain file (insecure)'),
  );
  const region = screen.getByRole('region', { name: 'Secret storage' });
  expect(within(region).getByRole('status').textContent).toBe('0 secrets moved to the plain file.');
  // The main window's banner follows.
  expect(useAppStore.getState().insecureStoreWarning).toContain('chosen in Settings');
  const saved = JSON.parse(await fs.readFile(`${tmp.dataDir}/settings.json`, 'utf8'));
  expect(saved).toMatchObject({ secretStore: 'file' });

  fireEvent.click(screen.getByRole('button', { name: 'Move secrets to the OS keychain…' }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Move to keychain' }));
  });
  await waitFor(() => expect(screen.getByTestId('secret-store').textContent).toContain('keychain'));
  expect(useAppStore.getState().insecureStoreWarning).toBeUndefined();
});

test('SWITCHBOARD_SECRET_STORE locks the choice; data folder copies; version shown', async () => {
  host({ ...tmp.env, SWITCHBOARD_SECRET_STORE: 'file' });
  writeText.mockResolvedValue(undefined);
  render(<SettingsDialog onClose={() => undefined} />);
  await waitFor(() =>
    expect(screen.getByTestId('secret-store').textContent).toContain('Plain file (insecure)'),
  );
  const dialog = screen.getByRole('dialog', { name: 'Settings' });
  expect(dialog.textContent).toContain('SWITCHBOARD_SECRET_STORE=file is set');
  expect(dialog.textContent).toContain('(SWITCHBOARD_SECRET_STORE=file)');
  expect(screen.queryByRole('button', { name: /Store secrets|Move secrets/ })).toBeNull();

  await waitFor(() => expect(screen.getByTestId('app-version').textContent).toContain(APP_VERSION));
  const field = screen.getByRole('textbox', { name: 'Data folder' }) as HTMLInputElement;
  expect(field.value).toBe(tmp.dataDir);
  expect(field.readOnly).toBe(true);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
  });
  expect(writeText).toHaveBeenCalledExactlyOnceWith(tmp.dataDir);
  expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy();
});

test('the OAuth client metadata URL: a bad URL shows the error, a good one is saved, Clear removes it', async () => {
  host(tmp.env);
  render(<SettingsDialog onClose={() => undefined} />);
  const section = screen.getByRole('region', { name: 'OAuth client metadata document' });
  const input = await within(section).findByLabelText('Client metadata document URL');
  fireEvent.change(input, { target: { value: 'http://plain.example/client.json' } });
  fireEvent.click(within(section).getByRole('button', { name: 'Save URL' }));
  await within(section).findByText(/must be https/);
  const settingsFile = `${tmp.dataDir}/settings.json`;
  await expect(fs.readFile(settingsFile, 'utf8')).rejects.toThrow();

  fireEvent.change(input, { target: { value: 'https://switchboard.example/client.json' } });
  fireEvent.click(within(section).getByRole('button', { name: 'Save URL' }));
  await within(section).findByText('Saved; the next sign-in uses it.');
  expect(JSON.parse(await fs.readFile(settingsFile, 'utf8'))).toMatchObject({
    oauthClientMetadataUrl: 'https://switchboard.example/client.json',
  });
  fireEvent.click(within(section).getByRole('button', { name: 'Clear URL' }));
  await within(section).findByText('Cleared.');
  expect(JSON.parse(await fs.readFile(settingsFile, 'utf8'))).not.toHaveProperty(
    'oauthClientMetadataUrl',
  );
});

test('SWITCHBOARD_OAUTH_CLIENT_METADATA_URL locks the field and says why', async () => {
  host({ ...tmp.env, SWITCHBOARD_OAUTH_CLIENT_METADATA_URL: 'https://managed.example/c.json' });
  render(<SettingsDialog onClose={() => undefined} />);
  const section = screen.getByRole('region', { name: 'OAuth client metadata document' });
  await within(section).findByText('https://managed.example/c.json');
  expect(within(section).queryByRole('button', { name: 'Save URL' })).toBeNull();
  expect(section.textContent).toContain('overrides this setting');
});
