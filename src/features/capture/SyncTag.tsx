import type { OutboxRow } from '../../data/queries.ts';

/** Whether a piece of submitted evidence has left the device. */
export function SyncTag({ outbox }: { outbox: OutboxRow | undefined }) {
  if (!outbox) return <strong class="govuk-tag govuk-tag--green" data-testid="sync-state">Sent</strong>;
  if (outbox.state !== 'waiting') return <strong class="govuk-tag govuk-tag--red" data-testid="sync-state">Needs attention</strong>;
  return <strong class="govuk-tag govuk-tag--blue" data-testid="sync-state">Waiting to sync</strong>;
}
