import { useStorageStatus } from '../../data/hooks.ts';
import { formatBytes } from '../../shared/format.ts';
import { WarningText } from '../../ui/WarningText.tsx';

/** Past this share of its quota the device warns before a photo fails to save. */
const NEARLY_FULL = 0.8;

/**
 * Says, before it matters, when evidence on this device is at risk: storage the browser may clear,
 * or space running out. Silent when all is well.
 */
export function StorageNotice() {
  const storage = useStorageStatus();
  if (storage.state !== 'ready') return null;
  const { persisted, usageBytes, quotaBytes } = storage.status;
  if (usageBytes !== null && quotaBytes !== null && quotaBytes > 0 && usageBytes / quotaBytes > NEARLY_FULL) {
    return (
      <WarningText testId="storage-nearly-full">
        Wingcheck has used {formatBytes(usageBytes)} of the {formatBytes(quotaBytes)} this tablet allows.
        Sync soon, then free some space,
        or new photos may not save.
      </WarningText>
    );
  }
  // A standing condition, not an emergency (Safari outside the home screen): said once, quietly, so the work stays in view.
  if (persisted === false) {
    return (
      <p class="govuk-body-s app-notice" data-testid="storage-not-persistent">
        This browser may clear Wingcheck’s data when space runs low: add Wingcheck to the home screen, and sync whenever you can.
      </p>
    );
  }
  return null;
}
