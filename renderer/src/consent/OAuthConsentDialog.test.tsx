// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import type { OAuthConsentPreviewDto } from '../../../app/contract/oauth-contract';
import { OAuthConsentDialog } from './OAuthConsentDialog';

afterEach(cleanup);

const preview: OAuthConsentPreviewDto = {
  project: 'docs',
  projectId: 'prj_abcdefghij12',
  serverUrl: 'https://mcp.docs.example/mcp',
  resource: 'https://mcp.docs.example/mcp',
  issuer: 'https://auth.docs.example/',
  client: { kind: 'metadata-document', clientId: 'https://switchboard.example/cimd.json' },
  scopes: [
    { scope: 'docs:read', source: 'granted' },
    { scope: 'docs:admin', source: 'challenge' },
  ],
  scopesSupported: ['docs:read', 'docs:write', 'docs:admin'],
  fullScope: true,
  fullScopeReason: 'includes the admin-like scope docs:admin',
  sharedWith: ['claude-desktop', 'cursor'],
  storage: 'keychain',
  consent: 'needed',
  changed: ['scopes'],
};

test('shows the OAuth facts: resource, issuer, client identity, scope origins, full scope, sharing, storage', () => {
  const onConfirm = vi.fn(async () => undefined);
  const onCancel = vi.fn();
  render(<OAuthConsentDialog preview={preview} onConfirm={onConfirm} onCancel={onCancel} />);
  const dialog = screen.getByRole('dialog', { name: 'Sign in to docs?' });
  const text = dialog.textContent ?? '';
  for (const expected of [
    'https://mcp.docs.example/mcp',
    'https://auth.docs.example/',
    'Client metadata document: https://switchboard.example/cimd.json',
    'docs:read (already granted)',
    'docs:admin (asked for by the server)',
    'Not requested: docs:write',
    'Full scope — includes the admin-like scope docs:admin',
    'claude-desktop, cursor',
    'In your OS keychain',
    'this changed: scopes',
  ]) {
    expect(text).toContain(expected);
  }
  // Cancel is the safe default; Escape cancels; nothing runs without a click.
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  fireEvent.keyDown(dialog, { key: 'Escape' });
  expect(onCancel).toHaveBeenCalledTimes(1);
  expect(onConfirm).not.toHaveBeenCalled();
});
