import { useEffect, useState } from 'preact/hooks';

export type OfflineReadiness = 'unsupported' | 'installing' | 'ready';

/** Whether a service worker controls this page, i.e. whether the app will open with no network. */
export function useOfflineReadiness(): OfflineReadiness {
  const supported = 'serviceWorker' in navigator;
  const [state, setState] = useState<OfflineReadiness>(() => {
    if (!supported) return 'unsupported';
    return navigator.serviceWorker.controller ? 'ready' : 'installing';
  });
  useEffect(() => {
    if (!supported) return;
    const update = () => {
      setState(navigator.serviceWorker.controller ? 'ready' : 'installing');
    };
    navigator.serviceWorker.addEventListener('controllerchange', update);
    // The worker may have taken control between the first render and this effect.
    update();
    return () => {
      navigator.serviceWorker.removeEventListener('controllerchange', update);
    };
  }, [supported]);
  return state;
}
