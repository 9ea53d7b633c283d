import { useEffect, useState } from 'preact/hooks';
import { useUpdateRequired } from '../data/outbox.ts';
import { ButtonGroup } from '../ui/ButtonGroup.tsx';
import { Button } from '../ui/form.tsx';
import { NotificationBanner } from '../ui/NotificationBanner.tsx';
import { checkForUpdate, useUpdateAvailable } from '../api/serviceWorker.ts';

/**
 * Offers a new version once it has installed. Nothing reloads until the person says so: they may
 * be half way through a check.
 */
export function UpdatePrompt() {
  const apply = useUpdateAvailable();
  const required = useUpdateRequired();
  const [dismissed, setDismissed] = useState(false);
  const [applying, setApplying] = useState(false);
  useEffect(() => {
    if (required && !apply) checkForUpdate();
  }, [required, apply]);
  if (required && !apply) {
    return (
      <NotificationBanner title="Update needed">
        <p class="govuk-notification-banner__heading">This version of Wingcheck is too old to send evidence.</p>
        <p class="govuk-body">
          Nothing waiting is lost. Wingcheck is fetching the new version: stay online, and an "Update now" button will
          appear here.
        </p>
      </NotificationBanner>
    );
  }
  if (!apply || dismissed) return null;
  return (
    <NotificationBanner title="Update available">
      <p class="govuk-notification-banner__heading">A new version of Wingcheck is ready.</p>
      <ButtonGroup>
        <Button
          disabled={applying}
          onClick={() => {
            setApplying(true);
            apply();
          }}
        >
          {applying ? 'Updating…' : 'Update now'}
        </Button>
        <Button
          secondary
          onClick={() => {
            setDismissed(true);
          }}
        >
          Later
        </Button>
      </ButtonGroup>
    </NotificationBanner>
  );
}
