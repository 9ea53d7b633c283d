import { useEffect, useState } from 'preact/hooks';

/**
 * The browser's view of connectivity. It only knows whether there is a network, not whether the
 * server answers; the sync engine will refine "online" with what it learns from real requests.
 */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
