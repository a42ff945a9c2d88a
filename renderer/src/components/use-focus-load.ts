import { useCallback, useEffect, useState } from 'react';

/**
 * Loads data now and again whenever the window gets focus: files such as client configs change
 * behind our back (the CLI, the client itself). `fetcher` must be stable (module-level).
 */
export function useFocusLoad<T>(fetcher: () => Promise<T>, onError: (message: string) => void) {
  const [data, setData] = useState<T>();
  const load = useCallback(async () => {
    try {
      setData(await fetcher());
    } catch (e) {
      onError((e as Error).message);
    }
  }, [fetcher, onError]);
  useEffect(() => {
    void load();
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [load]);
  return { data, load };
}
