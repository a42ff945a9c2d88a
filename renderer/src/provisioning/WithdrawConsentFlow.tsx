import { useState } from 'react';
import type { ConsentViewDto } from '../../../app/contract/consent-contract';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { useConfirm } from '../components/use-confirm';
import { refresh, refreshProvisioning } from '../store';

/**
 * Withdrawing a consent: one confirmation, then — for full-scope provisioning — a second,
 * separate question about deleting the vendor-side function and secret ("Keep them" is the
 * default and what Escape does).
 */
export function WithdrawConsentFlow({
  consent,
  onDone,
}: {
  consent: ConsentViewDto;
  onDone: (message?: string) => void;
}) {
  const [step, setStep] = useState<'confirm' | 'remote'>('confirm');
  const provisioning = consent.kind === 'full-scope-provisioning';
  if (step === 'confirm') {
    return (
      <ConfirmDialog
        title={`Withdraw consent for ${consent.projectName}?`}
        message={
          provisioning
            ? 'Switchboard stops using the private endpoint at once (running clients switch to the shared endpoint within a second) and deletes its shared secret from your keychain.'
            : 'Switchboard signs out of this server and deletes its tokens from your keychain.'
        }
        confirmLabel="Withdraw consent"
        onConfirm={async () => {
          await api().consents.revoke({ id: consent.id });
          await Promise.all([refresh(api()), refreshProvisioning(api())]);
          if (provisioning) setStep('remote');
        }}
        onClose={() => {
          if (!provisioning) onDone();
        }}
      />
    );
  }
  return <DeleteRemoteDialog consent={consent} onDone={onDone} />;
}

function DeleteRemoteDialog({
  consent,
  onDone,
}: {
  consent: ConsentViewDto;
  onDone: (message?: string) => void;
}) {
  const keep = () =>
    onDone('Consent withdrawn; the function and secret stay in your vendor account.');
  const { busy, error, confirm } = useConfirm(
    async () => {
      await api().provisioning.deleteRemote({ ref: consent.projectId });
      await refreshProvisioning(api());
    },
    () =>
      onDone(
        'Consent withdrawn; the function and the stored key were deleted in your vendor account.',
      ),
  );
  return (
    <Dialog
      title="Also delete them in your vendor account?"
      onClose={keep}
      footer={
        <>
          <button type="button" data-autofocus onClick={keep} disabled={busy}>
            Keep them
          </button>
          <button type="button" className="danger" onClick={confirm} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete function and secret'}
          </button>
        </>
      }
    >
      <p>
        Consent withdrawn: {consent.projectName} uses the shared endpoint now. The per-tenant
        function and the secret holding your API key ({consent.keyFingerprint}) still exist at{' '}
        <code>{consent.controlPlane}</code>. Delete them too?
      </p>
      {busy && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Deleting the function and the secret…
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
