// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { Services } from '../../../app/services';
import { inProcessWindow } from '../../../app/testing/in-process-window';
import type { TempHome } from '../../../app/testing/temp-home';
import { api } from '../api';
import { refresh } from '../store';
import { TokenPanel } from './TokenPanel';
import type {} from '../env';

// The panel against the real main-side pieces (app/testing/in-process-window.ts): real services
// on a temp data dir, the real handlers, dispatcher and window.switchboard. Only the IPC hop is
// an in-process call; secrets go to the temp dir's file store (no keychain under jsdom).
let tmp: TempHome;
let services: Services;
let project: ProjectView;

beforeAll(async () => {
  const win = await inProcessWindow('sb-tokenpanel-');
  ({ tmp, services } = win);
  window.switchboard = win.api;
  await services.projects.add({ name: 'acme', url: 'https://acme.test/mcp', auth: 'bearer' });
  await services.tokens.add({ project: 'acme', name: 'ci', value: 'ci-value-0123456789abcdef' });
  await services.tokens.add({ project: 'acme', name: 'old', value: 'old-value-0123456789abcd' });
  await services.tokens.revoke({ project: 'acme', token: 'old' });
  await services.tokens.add({
    project: 'acme',
    name: 'soon',
    value: 'soon-value-0123456789abc',
    expires: '2d',
  });
  project = await api().projects.get({ ref: 'acme' });
  await refresh(api());
});

afterEach(cleanup);
afterAll(async () => {
  await tmp.cleanup();
});

// A revoked token keeps its record under an archived name (`old.revoked-<date>`).
const row = (name: string) =>
  screen.getByTestId(new RegExp(`^token-${name}(\\.revoked-[\\d-]+)?$`));
const statusCell = (name: string) => within(row(name)).getAllByRole('cell')[1]!;

test('shows each status in words, with the colour icon hidden from screen readers', () => {
  render(<TokenPanel project={project} />);
  expect(statusCell('ci').textContent?.trim()).toMatch(/Active$/);
  expect(statusCell('soon').textContent?.trim()).toMatch(/Expiring soon$/);
  expect(statusCell('old').textContent?.trim()).toMatch(/Revoked$/);
  for (const name of ['ci', 'soon', 'old']) {
    const icon = statusCell(name).querySelector('[aria-hidden="true"]');
    expect(icon, `${name} has a decorative icon`).not.toBeNull();
  }
  // Different states differ in text, not only in the badge's colour class.
  expect(statusCell('ci').querySelector('.badge-ok')).not.toBeNull();
  expect(statusCell('old').querySelector('.badge-off')).not.toBeNull();
  // Values never reach the page; only fingerprints do.
  expect(document.body.innerHTML).not.toContain('ci-value-');
});

test('revoked rows offer Remove but neither Rotate nor Revoke', () => {
  render(<TokenPanel project={project} />);
  const revoked = within(row('old'));
  expect(revoked.queryByRole('button', { name: 'Rotate' })).toBeNull();
  expect(revoked.queryByRole('button', { name: 'Revoke' })).toBeNull();
  expect(revoked.getByRole('button', { name: 'Remove' })).toBeTruthy();
  const active = within(row('ci'));
  expect(active.getByRole('button', { name: 'Rotate' })).toBeTruthy();
  expect(active.getByRole('button', { name: 'Revoke' })).toBeTruthy();
});

test('revoking through the confirmation deletes the value and the row loses Rotate', async () => {
  render(<TokenPanel project={project} />);
  const revokeButton = within(row('ci')).getByRole('button', { name: 'Revoke' });
  revokeButton.focus();
  fireEvent.click(revokeButton);
  const confirm = screen.getByRole('dialog', { name: 'Revoke “ci”?' });
  expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
  await act(async () => {
    fireEvent.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
  });
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(statusCell('ci').textContent).toContain('Revoked');
  expect(within(row('ci')).queryByRole('button', { name: 'Rotate' })).toBeNull();
  const [record] = await services.tokens
    .list('acme')
    .then((l) => l.filter((t) => t.name.startsWith('ci.revoked-')));
  expect(record?.revokedAt).toBeDefined();
  expect(await (await services.secrets()).get(record!.id)).toBeUndefined();
});
