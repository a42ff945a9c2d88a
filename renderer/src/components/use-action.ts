import { useCallback, useState } from 'react';

/** Runs one action at a time with a progress label and a readable error. */
export function useAction() {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const run = useCallback(async (label: string, fn: () => Promise<void>): Promise<boolean> => {
    setBusy(label);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(undefined);
    }
  }, []);
  return { busy, error, run, setError };
}
