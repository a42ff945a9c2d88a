// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { provisioningConsentText } from '../../../app/provisioning/consent-text';
import type { ProvisioningConsentRequestDto } from '../../../app/contract/provisioning-contract';
import { endpointLabel } from './endpoint-label';
import { ProvisionConsentDialog } from './ProvisionConsentDialog';

afterEach(cleanup);

function request(changed: string[] = []): ProvisioningConsentRequestDto {
  const facts = {
    vendor: 'Telnyx',
    controlPlane: 'https://api.telnyx.com',
    keyFingerprint: '3bafb54f396a',
    sharedUrl: 'https://api.telnyx.com/v2/mcp',
    projectName: 'telnyx',
  };
  return {
    ...facts,
    projectId: 'prj_abcdefghij12',
    status: 'needed',
    changed,
    text: provisioningConsentText(facts),
  };
}

test('says plainly what happens to the key, what stays the same, and how to undo it', () => {
  render(<ProvisionConsentDialog request={request()} onConfirm={vi.fn()} onCancel={vi.fn()} />);
  const dialog = screen.getByRole('dialog', { name: 'Use a private Telnyx endpoint for telnyx?' });
  const text = dialog.textContent ?? '';
  expect(text).toContain(
    'Your full-scope API key (fingerprint 3bafb54f396a) will be stored as a secret in your Telnyx account and injected into a function running at https://api.telnyx.com.',
  );
  expect(text).toContain('including code your agents write');
  expect(text).toContain('could use the key to do anything the key can do in your account');
  expect(text).toContain('private (per-tenant) MCP endpoint');
  expect(text).toContain(
    'nothing changes: the shared endpoint https://api.telnyx.com/v2/mcp keeps working',
  );
  expect(text).toContain('withdraw this consent');
  expect(text).toContain('Full scope');
  expect(text).not.toContain('Asking again');
});

test('the deploy runs only after "I understand" and a click; Escape cancels', async () => {
  const onConfirm = vi.fn(async () => undefined);
  const onCancel = vi.fn();
  render(<ProvisionConsentDialog request={request()} onConfirm={onConfirm} onCancel={onCancel} />);
  const go = screen.getByRole('button', { name: 'Store key and deploy' });
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  fireEvent.click(go);
  expect(onConfirm).not.toHaveBeenCalled();
  fireEvent.click(screen.getByLabelText(/I understand/));
  await act(async () => {
    fireEvent.click(go);
  });
  expect(onConfirm).toHaveBeenCalledTimes(1);
  fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
  expect(onCancel).toHaveBeenCalled();
});

test('after a key rotation it says why it asks again', () => {
  render(
    <ProvisionConsentDialog
      request={request(['keyFingerprint'])}
      onConfirm={vi.fn()}
      onCancel={vi.fn()}
    />,
  );
  expect(screen.getByRole('dialog').textContent).toContain(
    'Asking again: the API key changed since you last agreed.',
  );
});

test('endpoint states read as words, not only colour', () => {
  const base = { projectId: 'p', projectName: 'p', url: 'https://x' };
  expect(endpointLabel({ ...base, kind: 'per-tenant', reason: 'per-tenant' })).toEqual({
    level: 'ok',
    label: 'Private (per-tenant)',
  });
  expect(endpointLabel({ ...base, kind: 'shared', reason: 'shared (no consent)' }).label).toBe(
    'Shared — no consent',
  );
  expect(
    endpointLabel({
      ...base,
      kind: 'shared',
      reason: 'shared (provisioning failed: HTTP 500 from the deploy)',
    }),
  ).toEqual({ level: 'warn', label: 'Shared — provisioning failed: HTTP 500 from the deploy' });
});
