import { useState } from 'react';
import { Dialog } from './Dialog';

interface Props {
  tokenName: string;
  fingerprint: string;
  value: string;
  onClose: () => void;
}

/** The only place a token value is ever rendered; it is dropped from memory when this closes. */
export function ShownOnceDialog({ tokenName, fingerprint, value, onClose }: Props) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      title={`New token “${tokenName}”`}
      onClose={onClose}
      describedBy="shown-once-note"
      footer={
        <>
          <button type="button" onClick={copy}>
            {copied === 'yes' ? 'Copied' : 'Copy'}
          </button>
          <button type="button" className="primary" data-autofocus onClick={onClose}>
            Done
          </button>
        </>
      }
    >
      <p id="shown-once-note">
        This is the only time Switchboard shows this token. Switchboard has already stored it; copy
        it only if another tool needs it.
      </p>
      <input
        className="secret-once"
        readOnly
        value={value}
        aria-label="Token value"
        onFocus={(e) => e.target.select()}
      />
      <p className="muted">Fingerprint {fingerprint}</p>
      {copied === 'failed' && (
        <p role="alert" className="form-error">
          Could not copy to the clipboard; select the text and copy it yourself.
        </p>
      )}
    </Dialog>
  );
}
