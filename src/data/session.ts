import { getStoredSession, type StoredSession } from './session-store.ts';
import { useLiveQuery } from './live.ts';

export * from './session-store.ts';

/** null while loading from the device; false when nobody is signed in here. */
export function useStoredSession(): StoredSession | false | null {
  const value = useLiveQuery(async () => (await getStoredSession()) ?? false);
  return value ?? null;
}
