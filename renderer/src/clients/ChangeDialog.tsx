import type { ChangePlanDto } from '../../../app/contract/clients-contract';
import { Dialog } from '../components/Dialog';
import { useConfirm } from '../components/use-confirm';
import { DiffView } from './DiffView';

interface Props {
  title: string;
  plan: ChangePlanDto;
  /** e.g. "a new project \"gh\"; the secret goes to the keychain" */
  note?: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/**
 * The consent step for any client-config change: exactly what will change, as a diff, with
 * Cancel focused by default. Nothing is written until the user confirms.
 */
export function ChangeDialog({ title, plan, note, confirmLabel, onConfirm, onClose }: Props) {
  const { busy, error, confirm } = useConfirm(onConfirm, onClose);
  return (
    <Dialog
      title={title}
      wide
      onClose={busy ? () => undefined : onClose}
      footer={
        <>
          <button type="button" data-autofocus onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={confirm} disabled={busy}>
            {busy ? 'Writing…' : confirmLabel}
          </button>
        </>
      }
    >
      <p>
        {plan.createsFile ? 'Creates ' : plan.removesFile ? 'Deletes ' : 'Changes '}
        <code>{plan.path}</code>
        {plan.removesFile ? ' (Switchboard created it).' : '. A backup is kept first.'}
      </p>
      {note && <p>{note}</p>}
      <DiffView diff={plan.diff} label={`Changes to ${plan.path}`} />
      <p className="muted">{plan.restartNote}</p>
      {plan.needsNote && <p className="needs-note">Also needed: {plan.needsNote}</p>}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
