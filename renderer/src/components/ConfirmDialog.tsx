import { Dialog } from './Dialog';
import { useConfirm } from './use-confirm';

interface Props {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Destructive confirmation: Cancel has focus, the action shows progress and any error. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose }: Props) {
  const { busy, error, confirm: run } = useConfirm(onConfirm, onClose);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" data-autofocus onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={run} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
