import { formatDate, formatTime } from '../capture/labels.ts';

interface Props {
  refreshedAt: string;
  fromDevice: boolean;
  /** Pieced together from the device's own store: what that could not include. */
  partial?: string | undefined;
}

/** Says how current a review screen is: just fetched, the copy kept on this device, or what the device could piece together. */
export function Freshness({ refreshedAt, fromDevice, partial }: Props) {
  const when = `${formatDate(refreshedAt)} at ${formatTime(refreshedAt)}`;
  if (partial) {
    return (
      <p class="govuk-body-s govuk-inset-text" data-testid="freshness" role="status">
        You are offline, and this page was not kept on this device. Shown from the plan and the evidence this device
        has. {partial}
      </p>
    );
  }
  return (
    <p class={`govuk-body-s${fromDevice ? ' govuk-inset-text' : ' app-secondary-text'}`} data-testid="freshness" role="status">
      {fromDevice ? `You are offline. Showing what this device kept, last refreshed ${when}.` : `Last refreshed ${when}.`}
    </p>
  );
}
