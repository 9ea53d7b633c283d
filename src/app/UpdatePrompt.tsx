import { useRegisterSW } from 'virtual:pwa-register/preact';
import { NotificationBanner } from '../ui/NotificationBanner.tsx';

/**
 * Registers the service worker (through workbox-window) and, when a new version has installed,
 * offers it. Nothing reloads until the person says so: they may be half way through a check.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError(error: unknown) {
      console.error('service worker registration failed', error);
    },
  });
  if (!needRefresh) return null;
  return (
    <NotificationBanner title="Update available">
      <p class="govuk-notification-banner__heading">A new version of Wingcheck is ready.</p>
      <div class="govuk-button-group">
        <button
          type="button"
          class="govuk-button"
          data-module="govuk-button"
          onClick={() => {
            void updateServiceWorker(true);
          }}
        >
          Update now
        </button>
        <button
          type="button"
          class="govuk-button govuk-button--secondary"
          onClick={() => {
            setNeedRefresh(false);
          }}
        >
          Later
        </button>
      </div>
    </NotificationBanner>
  );
}
