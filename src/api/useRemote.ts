import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiRequestError, type ErrorIssue } from '../shared/api/errors.ts';

export type Remote<T>
  = | { state: 'loading' }
    | { state: 'error'; message: string }
    | { state: 'ready'; data: T };

/** Loads something from the server for an online-only screen, with reload() after changes. */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Remote<T> & { reload: () => void } {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setRemote({ state: 'ready', data });
      },
      (error: unknown) => {
        if (current) setRemote({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
    // `load` is re-created every render; deps and generation say when to load again.
  }, [...deps, generation]);
  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);
  return { ...remote, reload };
}

export function errorMessage(error: unknown): string {
  return error instanceof ApiRequestError ? error.message : 'Something went wrong. Try again.';
}

/** A refused request's message and the fields the server named (none when it did not answer). */
export function refusalOf(error: unknown): { message: string; issues: readonly ErrorIssue[] } {
  return error instanceof ApiRequestError ? error : { message: errorMessage(error), issues: [] };
}
