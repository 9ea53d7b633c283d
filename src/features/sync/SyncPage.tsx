import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { useSyncProgress } from '../../api/useSync.ts';
import { tryAttentionAgain } from '../../data/attention.ts';
import { ATTENTION_STATES, useLastSync, useOutboxEntries, useUpdateRequired, type OutboxEntry } from '../../data/outbox.ts';
import { syncNow } from '../../data/sync-store.ts';
import { formatBytes } from '../../shared/format.ts';
import type { SyncOutcome } from '../../sync/run.ts';
import { Button } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { formatDate, formatTime } from '../capture/labels.ts';

function describeOutcome(outcome: SyncOutcome): string {
  switch (outcome.kind) {
    case 'done':
      return outcome.sent === 0 ? 'Nothing needed sending; updates fetched.' : `${outcome.sent} sent; updates fetched.`;
    case 'retry-later':
      return `Not finished: ${outcome.reason} It will try again by itself.`;
    case 'signed-out':
      return 'Stopped: sign in again to carry on sending.';
    case 'update-required':
      return 'Stopped: this version of Wingcheck is too old to send. Update the app.';
  }
}

function what(entry: OutboxEntry): string {
  const names: Record<OutboxEntry['entry']['type'], string> = {
    'check.submit': 'Check',
    'note.add': 'Evidence note',
    'action.set-status': 'Action status change',
    'gap.explain': 'Explanation of a missed check',
  };
  return names[entry.entry.type];
}

/** The data of a refused item, for a person to keep or pass on: nothing refused is thrown away. */
function exportOf(entry: OutboxEntry): string {
  const { entry: row } = entry;
  const { id, type, createdAt, reason, payload } = row;
  return JSON.stringify({ id, type, createdAt, reason, payload }, null, 2);
}

function AttentionItem({ entry }: { entry: OutboxEntry }) {
  const [copied, setCopied] = useState(false);
  const data = exportOf(entry);
  const href = `data:application/json;charset=utf-8,${encodeURIComponent(data)}`;
  return (
    <li class="app-task-list__item" data-testid="attention-item">
      <div>
        <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
          {what(entry)} from {formatDate(entry.entry.createdAt)} {formatTime(entry.entry.createdAt)}
          {entry.check && (
            <>
              {' '}
              (
              <a class="govuk-link" href={`/checks/${entry.check.id}`}>
                open
              </a>
              )
            </>
          )}
        </p>
        <p class="govuk-body govuk-!-margin-bottom-1" data-testid="attention-reason">
          {entry.entry.reason ?? (entry.entry.state === 'failed' ? 'It could not be sent.' : 'The server refused it.')}
        </p>
        <ButtonGroup class="govuk-!-margin-bottom-0">
          <Button
            secondary
            onClick={() => {
              void navigator.clipboard.writeText(data).then(() => {
                setCopied(true);
              });
            }}
          >
            {copied ? 'Copied' : 'Copy its data'}
          </Button>
          <a class="govuk-link" href={href} download={`wingcheck-${entry.entry.id}.json`}>
            Download its data
          </a>
        </ButtonGroup>
      </div>
      <strong class="govuk-tag govuk-tag--red">Needs attention</strong>
    </li>
  );
}

export function SyncPage() {
  const entries = useOutboxEntries();
  const last = useLastSync();
  const progress = useSyncProgress();
  const updateRequired = useUpdateRequired();
  const [starting, setStarting] = useState(false);
  const waiting = entries?.filter((e) => e.entry.state === 'waiting') ?? [];
  const attention = entries?.filter((e) => ATTENTION_STATES.includes(e.entry.state)) ?? [];
  const [retried, setRetried] = useState<number | null>(null);
  return (
    <>
      <PageHeading>Sync</PageHeading>
      {updateRequired && (
        <div class="govuk-warning-text">
          <strong class="govuk-warning-text__text">
            This version of Wingcheck is too old to send evidence. Update the app (reload it when the update prompt shows);
            nothing waiting is lost.
          </strong>
        </div>
      )}
      <p class="govuk-body" data-testid="sync-summary" aria-live="polite">
        {progress
          ? progress.phase === 'uploading' && progress.bytesTotal > 0
            ? `Sending photos: ${formatBytes(progress.bytesSent)} of ${formatBytes(progress.bytesTotal)}.`
            : 'Sending…'
          : last
            ? `Last sync ${formatDate(last.at)} at ${formatTime(last.at)}: ${describeOutcome(last.outcome)}`
            : 'This device has not synced yet.'}
      </p>
      <Button
        disabled={starting || Boolean(progress)}
        onClick={() => {
          setStarting(true);
          void syncNow().finally(() => {
            setStarting(false);
          });
        }}
      >
        Sync now
      </Button>
      {attention.length > 0 && (
        <>
          <h2 class="govuk-heading-m">Needs attention</h2>
          <p class="govuk-body">
            These were refused or kept failing, so they were set aside and everything else was sent. They stay on
            this device: copy or download their data and pass it to your admin, then record the evidence again if it
            is still needed. If the server has been fixed since, try sending them again.
          </p>
          <ul class="govuk-list app-task-list">
            {attention.map((entry) => (
              <AttentionItem key={entry.entry.id} entry={entry} />
            ))}
          </ul>
          <Button
            secondary
            disabled={Boolean(progress)}
            onClick={() => {
              void tryAttentionAgain().then((count) => {
                setRetried(count);
                return syncNow();
              });
            }}
          >
            Try sending these again
          </Button>
        </>
      )}
      {retried !== null && attention.length === 0 && (
        <p class="govuk-body" role="status">
          {retried} put back in the queue to send.
        </p>
      )}
      <h2 class="govuk-heading-m">Waiting to send</h2>
      {waiting.length === 0 ? (
        <p class="govuk-body">Nothing is waiting: everything made on this device has been sent.</p>
      ) : (
        <ul class="govuk-list app-task-list" data-testid="waiting-items">
          {waiting.map((entry) => (
            <li class="app-task-list__item" key={entry.entry.id}>
              <span>
                {what(entry)} from {formatDate(entry.entry.createdAt)} {formatTime(entry.entry.createdAt)}
              </span>
              <strong class="govuk-tag govuk-tag--blue">{progress ? 'Sending' : 'Waiting'}</strong>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
