import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/**
 * The result of a Dexie query, re-run whenever the tables it read change (in this tab or another).
 * `undefined` until the first result arrives. `deps` re-create the query, as in useEffect.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: readonly unknown[] = []): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: setValue,
      error: (error: unknown) => {
        console.error('live query failed', error);
      },
    });
    return () => {
      subscription.unsubscribe();
    };
  }, deps);
  return value;
}
