interface Props {
  online: boolean;
  /** undefined while the count is being read from the device. */
  waiting: number | undefined;
}

/** Always visible under the navigation: can I reach the server, and is anything not yet sent? */
export function StatusBar({ online, waiting }: Props) {
  return (
    <div class="app-status-bar">
      <div class="govuk-width-container app-status-bar__inner" role="status" aria-live="polite">
        <strong class={`govuk-tag ${online ? 'govuk-tag--green' : 'govuk-tag--grey'}`} data-testid="connection-state">
          {online ? 'Online' : 'Offline'}
        </strong>
        <span class="govuk-body-s app-status-bar__waiting" data-testid="waiting-count">
          {waiting === undefined ? 'Counting items to sync…' : `${waiting} waiting to sync`}
        </span>
      </div>
    </div>
  );
}
