import { CopyField } from './CopyField';
import { Dialog } from './Dialog';

interface Props {
  tokenName: string;
  fingerprint: string;
  value: string;
  onClose: () => void;
}

/** The only place a token value is ever rendered; it is dropped from memory when this closes. */
export function ShownOnceDialog({ tokenName, fingerprint, value, onClose }: Props) {
  return (
    <Dialog
      title={`New token “${tokenName}”`}
      onClose={onClose}
      describedBy="shown-once-note"
      footer={
        <button type="button" className="primary" data-autofocus onClick={onClose}>
          Done
        </button>
      }
    >
      <p id="shown-once-note">
        This is the only time Switchboard shows this token. Switchboard has already stored it; copy
        it only if another tool needs it.
      </p>
      <CopyField label="Token value" value={value} />
      <p className="muted">Fingerprint {fingerprint}</p>
    </Dialog>
  );
}
