import { useEffect, useState } from 'preact/hooks';
import { getClientId } from './device.ts';
import { requestPersistentStorage, type StorageStatus } from './storage.ts';

export function useClientId(): string | undefined {
  const [clientId, setClientId] = useState<string>();
  useEffect(() => {
    getClientId().then(setClientId, (error: unknown) => {
      console.error('could not read the device id', error);
    });
  }, []);
  return clientId;
}

export type StorageState = { state: 'loading' } | { state: 'ready'; status: StorageStatus } | { state: 'error'; message: string };

export function useStorageStatus(): StorageState {
  const [state, setState] = useState<StorageState>({ state: 'loading' });
  useEffect(() => {
    requestPersistentStorage().then(
      (status) => {
        setState({ state: 'ready', status });
      },
      (error: unknown) => {
        setState({ state: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }, []);
  return state;
}
