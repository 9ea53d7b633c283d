import type { z } from 'zod';
import { getReading, saveReading } from '../data/readings.ts';
import { getStoredSession } from '../data/session.ts';
import { ApiRequestError } from '../shared/api/errors.ts';
import { api } from './api.ts';
import { useRemote } from './useRemote.ts';

export type Readable<T>
  = | { state: 'loading' }
    | { state: 'error'; message: string }
    | ({ state: 'ready' } & Reading<T>);

export interface Reading<T> {
  data: T;
  refreshedAt: string;
  /** The copy kept on this device, because the server could not be reached. */
  fromDevice: boolean;
  /**
   * Set when the answer was never kept and was pieced together from the device's own store
   * instead: says, in plain words, what that could not include.
   */
  partial?: string;
}

/**
 * What to show offline when the server's answer was never kept on this device: the answer made
 * from the device's own store, and what it lacks; null when the device has nothing either.
 */
export type Fallback<T> = () => Promise<{ data: T; lacks: string } | null>;

const NOT_KEPT = 'You are offline, and this has not been opened on this device with a connection yet.';

/** Reads `path` from the server and keeps the answer, or gives the kept answer when offline. */
export async function readThrough<T>(path: string, schema: z.ZodType<T>, fallback?: Fallback<T>): Promise<Reading<T>> {
  try {
    const asked = (await getStoredSession())?.info.establishment.id;
    const data = await api.get(path, schema);
    const now = new Date();
    await saveReading(path, data, now, asked);
    return { data, refreshedAt: now.toISOString(), fromDevice: false };
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.isNetworkError)) throw error;
    // No connection: the answer kept last time, checked again in case an update changed its shape.
    const kept = await getReading(path);
    const parsed = kept ? schema.safeParse(kept.data) : null;
    if (kept && parsed?.success) return { data: parsed.data, refreshedAt: kept.refreshedAt, fromDevice: true };
    const made = fallback ? await fallback() : null;
    if (!made) throw new ApiRequestError(0, 'network', NOT_KEPT);
    return { data: made.data, refreshedAt: new Date().toISOString(), fromDevice: true, partial: made.lacks };
  }
}

/**
 * A review screen's data: from the server when it can be reached (kept on the device as it
 * arrives), else the copy kept last time, with when it was refreshed. `path` null: nothing to read.
 */
type Reloadable<T> = Readable<T> & { reload: () => void };

export function useReadable<T>(path: string, schema: z.ZodType<T>, fallback?: Fallback<T>): Reloadable<T>;
export function useReadable<T>(path: string | null, schema: z.ZodType<T>, fallback?: Fallback<T>): Reloadable<T | null>;
export function useReadable<T>(path: string | null, schema: z.ZodType<T>, fallback?: Fallback<T>): Reloadable<T | null> {
  // The schema is a module constant, the fallback reads the device for the same path; the path says when to read again.
  const remote = useRemote<Reading<T | null>>(async () => {
    if (path === null) return { data: null, refreshedAt: new Date().toISOString(), fromDevice: false };
    return readThrough(path, schema, fallback);
  }, [path]);
  return remote.state === 'ready' ? { state: 'ready', ...remote.data, reload: remote.reload } : remote;
}
