import type { ProvisioningConsentRequestDto } from '../../../app/contract/provisioning-contract';
import { ConsentDialog } from '../consent/ConsentDialog';

const CHANGED: Record<string, string> = {
  keyFingerprint: 'the API key',
  controlPlane: 'the control plane',
  serverUrl: 'the control plane',
};

/**
 * The full-scope provisioning consent: what will happen to the key, what the user gets, what
 * stays the same if they decline, how to undo it. Confirming records the consent and starts
 * provisioning (its progress shows on the project).
 */
export function ProvisionConsentDialog({
  request,
  onConfirm,
  onCancel,
}: {
  request: ProvisioningConsentRequestDto;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const changed = [...new Set(request.changed.map((c) => CHANGED[c] ?? c))];
  return (
    <ConsentDialog
      title={request.text.title}
      summary={
        <>
          {changed.length > 0 && (
            <p className="notice">
              Asking again: {changed.join(' and ')} changed since you last agreed.
            </p>
          )}
          <p>{request.text.risk}</p>
        </>
      }
      facts={[
        { label: 'API key', value: <code>{request.keyFingerprint}</code>, badge: 'Full scope' },
        { label: 'Stored in', value: `Your ${request.vendor} account (as a secret)` },
        { label: 'Control plane', value: <code>{request.controlPlane}</code> },
        { label: 'You get', value: request.text.gain },
        { label: 'Shared endpoint', value: <code>{request.sharedUrl}</code> },
      ]}
      footnote={
        <>
          <p>{request.text.decline}</p>
          <p>{request.text.undo}</p>
        </>
      }
      acknowledge="I understand that code running in that function can use my full-scope API key."
      confirmLabel="Store key and deploy"
      busyLabel="Starting…"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
