import { useState } from 'react';

/** A read-only value with a Copy button; says whether the copy worked. */
export function CopyField({ label, value }: { label: string; value: string }) {
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
    <div className="copy-field">
      <input
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.target.select()}
        spellCheck={false}
      />
      <button type="button" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </button>
      <span role="status" className="sr-only">
        {copied === 'yes' ? `${label} copied` : ''}
      </span>
      {copied === 'failed' && (
        <p role="alert" className="form-error">
          Could not copy to the clipboard; select the text and copy it yourself.
        </p>
      )}
    </div>
  );
}
