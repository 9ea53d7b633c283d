import { formatDate, formatTime } from '../capture/labels.ts';

/** Says how current a review screen is: just fetched, or the copy kept on this device. */
export function Freshness({ refreshedAt, fromDevice }: { refreshedAt: string; fromDevice: boolean }) {
  const when = `${formatDate(refreshedAt)} at ${formatTime(refreshedAt)}`;
  return (
    <p class={`govuk-body-s${fromDevice ? ' govuk-inset-text' : ' app-secondary-text'}`} data-testid="freshness" role="status">
      {fromDevice ? `You are offline. Showing what this device kept, last refreshed ${when}.` : `Last refreshed ${when}.`}
    </p>
  );
}
