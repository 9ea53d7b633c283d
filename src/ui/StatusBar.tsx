/** What the last or current sync is doing, in words for the status bar. */
export type SyncState
  = | { state: 'sending'; text: string }
    | { state: 'sent'; at: string }
    | { state: 'idle' };

interface Props {
  online: boolean;
  /** undefined while the count is being read from the device. */
  waiting: number | undefined;
  sync?: SyncState;
  /** Refused by the server, waiting for a person to look. */
  attention?: number;
  /** Who is signed in, and where; absent on the sign-in page. */
  person?: { name: string; establishment: string; several: boolean } | undefined;
}

/** Always visible under the navigation: can I reach the server, is anything not yet sent, who am I. */
export function StatusBar({ online, waiting, person, sync = { state: 'idle' }, attention = 0 }: Props) {
  return (
    <div class="app-status-bar">
      <div class="govuk-width-container app-status-bar__inner">
        <div class="app-status-bar__state" role="status" aria-live="polite">
          <strong class={`govuk-tag ${online ? 'govuk-tag--green' : 'govuk-tag--grey'}`} data-testid="connection-state">
            {online ? 'Online' : 'Offline'}
          </strong>
          <span class="govuk-body-s app-status-bar__text" data-testid="waiting-count">
            {waiting === undefined ? 'Counting…' : `${waiting} waiting to sync`}
          </span>
          {sync.state === 'sending' && (
            <span class="govuk-body-s app-status-bar__text" data-testid="sync-progress">
              {sync.text}
            </span>
          )}
          {sync.state === 'sent' && waiting === 0 && (
            <span class="govuk-body-s app-status-bar__text" data-testid="sync-sent">
              All sent at {sync.at}
            </span>
          )}
          {attention > 0 && (
            <a class="govuk-link govuk-body-s app-status-bar__text app-status-bar__attention" href="/sync" data-testid="sync-attention">
              {attention} {attention === 1 ? 'needs' : 'need'} attention
            </a>
          )}
        </div>
        {person && (
          <div class="app-status-bar__person">
            <span class="govuk-body-s app-status-bar__text app-status-bar__who" data-testid="signed-in-as">
              {person.name}, {person.establishment}
            </span>
            {person.several && (
              <a class="govuk-link govuk-body-s app-status-bar__text" href="/establishment">
                Change<span class="govuk-visually-hidden"> establishment</span>
              </a>
            )}
            <a class="govuk-link govuk-body-s app-status-bar__text" href="/sign-out">
              Sign out
            </a>
          </div>
        )}
      </div>
    </div>
  );
}
