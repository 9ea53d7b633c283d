import type { z } from 'zod';
import { getReading, saveReading } from '../data/readings.ts';
import { getStoredSession } from '../data/session.ts';
import { ApiRequestError } from '../shared/api/errors.ts';
import { pathOf, type RequestOf, type ResponseOf } from '../shared/api/endpoint.ts';
import { endpoints, type EndpointName, type Endpoints } from '../shared/api/endpoints.ts';
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

/** The answer of `name` kept on the device under its address (the same key as ever, so kept answers still read). */
export function readingKey(name: EndpointName, request: object): string {
  const { params, query } = request as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  return pathOf(endpoints[name], params, query);
}

type Answer<N extends EndpointName> = ResponseOf<Endpoints[N]>;

/** Reads an endpoint from the server and keeps the answer, or gives the kept answer when offline. */
export async function readThrough<N extends EndpointName>(
  name: N,
  request: RequestOf<Endpoints[N]>,
  fallback?: Fallback<Answer<N>>,
): Promise<Reading<Answer<N>>> {
  const path = readingKey(name, request);
  const schema = endpoints[name].response as unknown as z.ZodType<Answer<N>>;
  // A generic N cannot be spread into call's rest parameters; this is the same call, typed for one request.
  const call = api.call.bind(api) as (name: N, request: RequestOf<Endpoints[N]>) => Promise<Answer<N>>;
  try {
    const asked = (await getStoredSession())?.info.establishment.id;
    const data = await call(name, request);
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

type Reloadable<T> = Readable<T> & { reload: () => void };

/**
 * A review screen's data: from the server when it can be reached (kept on the device as it
 * arrives), else the copy kept last time, with when it was refreshed. `read` null: nothing to read.
 */
export function useReadable<N extends EndpointName>(
  name: N,
  request: RequestOf<Endpoints[N]>,
  fallback?: Fallback<Answer<N>>,
): Reloadable<Answer<N>>;
export function useReadable<N extends EndpointName>(
  name: N,
  request: RequestOf<Endpoints[N]> | null,
  fallback?: Fallback<Answer<N>>,
): Reloadable<Answer<N> | null>;
export function useReadable<N extends EndpointName>(
  name: N,
  request: RequestOf<Endpoints[N]> | null,
  fallback?: Fallback<Answer<N>>,
): Reloadable<Answer<N> | null> {
  const path = request ? readingKey(name, request) : null;
  // The fallback reads the device for the same address; the address says when to read again.
  const remote = useRemote<Reading<Answer<N> | null>>(async () => {
    if (request === null) return { data: null, refreshedAt: new Date().toISOString(), fromDevice: false };
    return readThrough(name, request, fallback);
  }, [path]);
  return remote.state === 'ready' ? { state: 'ready', ...remote.data, reload: remote.reload } : remote;
}
