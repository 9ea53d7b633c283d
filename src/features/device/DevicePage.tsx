import { useSession } from '../../api/sessionContext.ts';
import { useOfflineReadiness, type OfflineReadiness } from '../../api/useServiceWorker.ts';
import { useClientId, useStorageStatus, type StorageState } from '../../data/hooks.ts';
import { formatBytes, formatShare } from '../../shared/format.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { WarningText } from '../../ui/WarningText.tsx';

const OFFLINE_TEXT: Record<OfflineReadiness, string> = {
  ready: 'Ready: Wingcheck opens on this device without a connection',
  installing: 'Not ready yet: keep this page open while it downloads',
  unsupported: 'Not available: this browser cannot run Wingcheck offline',
};

function persistenceText(storage: StorageState): string {
  if (storage.state === 'loading') return 'Checking…';
  if (storage.state === 'error') return `Could not check: ${storage.message}`;
  const { persisted } = storage.status;
  if (persisted === true) return 'Persistent: the browser will not clear Wingcheck’s data to free space';
  if (persisted === false) {
    return 'Not persistent: the browser may clear unsynced data when space runs low. Add Wingcheck to the home screen and sync often.';
  }
  return 'Unknown: this browser does not say whether it keeps data';
}

function usageText(storage: StorageState): string {
  if (storage.state !== 'ready') return persistenceText(storage);
  const { usageBytes, quotaBytes } = storage.status;
  if (usageBytes === null || quotaBytes === null) return 'This browser does not report storage use';
  return `${formatBytes(usageBytes)} used of ${formatBytes(quotaBytes)} (${formatShare(usageBytes, quotaBytes)})`;
}

export function DevicePage() {
  const { info } = useSession();
  const clientId = useClientId();
  const storage = useStorageStatus();
  const offline = useOfflineReadiness();
  const notPersistent = storage.state === 'ready' && storage.status.persisted === false;
  return (
    <>
      <PageHeading>This device</PageHeading>
      {notPersistent && (
        <WarningText>Storage on this device is not persistent. Sync before closing Wingcheck for long.</WarningText>
      )}
      <SummaryList
        rows={[
          { key: 'Signed in as', value: <span data-testid="device-person">{`${info.user.displayName}, ${info.establishment.name}`}</span> },
          { key: 'Offline use', value: <span data-testid="offline-readiness">{OFFLINE_TEXT[offline]}</span> },
          { key: 'Storage', value: <span data-testid="storage-persistence">{persistenceText(storage)}</span> },
          { key: 'Space used', value: <span data-testid="storage-usage">{usageText(storage)}</span> },
          {
            key: 'Device id',
            value: <code data-testid="client-id">{clientId ?? 'Reading…'}</code>,
          },
          { key: 'App version', value: __APP_VERSION__ },
        ]}
      />
    </>
  );
}
