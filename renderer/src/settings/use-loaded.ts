import { useEffect, useState } from 'react';

/** Loads a value once on mount; a readable error instead of a value when it fails. */
export function useLoaded<T>(load: () => Promise<T>) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setValue(v),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
    // Once per mount: the panel reads fresh values each time it opens.
  }, []);
  return { value, setValue, error };
}
