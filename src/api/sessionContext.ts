import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { StoredSession } from '../data/session.ts';

/** The signed-in person, provided by the signed-in app to every screen under it. */
export const SessionContext = createContext<StoredSession | null>(null);

export function useSession(): StoredSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}
