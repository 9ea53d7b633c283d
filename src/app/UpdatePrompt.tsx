import { useState } from 'preact/hooks';
import { NotificationBanner } from '../ui/NotificationBanner.tsx';
import { useUpdateAvailable } from './serviceWorker.ts';

/**
 * Offers a new version once it has installed. Nothing reloads until the person says so: they may
 * be half way through a check.
 */
export function UpdatePrompt() {
  const apply = useUpdateAvailable();
  const [dismissed, setDismissed] = useState(false);
  const [applying, setApplying] = useState(false);
  if (!apply || dismissed) return null;
  return (
    <NotificationBanner title="Update available">
      <p class="govuk-notification-banner__heading">A new version of Wingcheck is ready.</p>
      <div class="govuk-button-group">
        <button
          type="button"
          class="govuk-button"
          disabled={applying}
          onClick={() => {
            setApplying(true);
            apply();
          }}
        >
          {applying ? 'Updating…' : 'Update now'}
        </button>
        <button
          type="button"
          class="govuk-button govuk-button--secondary"
          onClick={() => {
            setDismissed(true);
          }}
        >
          Later
        </button>
      </div>
    </NotificationBanner>
  );
}
