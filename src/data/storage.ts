/** What the browser promises about keeping this device's data. */
export interface StorageStatus {
  /** true: the browser will not evict our data under pressure; null: it cannot say. */
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

/**
 * Asks for persistent storage (so Safari and Chrome do not evict unsynced evidence when space runs
 * short) and reports the answer with the current usage. Asking again is harmless: browsers answer
 * from what they decided before.
 */
export async function requestPersistentStorage(): Promise<StorageStatus> {
  const storage = navigator.storage as StorageManager | undefined;
  let persisted: boolean | null = null;
  if (storage?.persist) {
    persisted = (await storage.persisted()) || (await storage.persist());
  }
  const estimate = storage?.estimate ? await storage.estimate() : undefined;
  return {
    persisted,
    usageBytes: estimate?.usage ?? null,
    quotaBytes: estimate?.quota ?? null,
  };
}
