import { useState } from 'react';

/** Runs a dialog's confirmed action: progress while it runs, closes on success, shows the error. */
export function useConfirm(onConfirm: () => Promise<void>, onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return { busy, error, confirm };
}
