import { useEffect, useState } from 'preact/hooks';

/**
 * How many of `total` items to render now: `first` at once, then `step` more each frame, so a
 * long list (a 500-concern plan) paints its top straight away and never blocks a cheap tablet's
 * main thread for long.
 */
export function useProgressive(total: number, first = 20, step = 20): number {
  const [shown, setShown] = useState(Math.min(total, first));
  useEffect(() => {
    if (shown >= total) return;
    const frame = requestAnimationFrame(() => {
      setShown((n) => Math.min(total, n + step));
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [shown, total, step]);
  return shown;
}
