import { DECISION_LABELS, STATUS_LABELS, type DisplayStatus } from '../shared/status.ts';

const STATUS_TAG: Record<DisplayStatus, string> = {
  'not-started': 'govuk-tag--grey',
  'in-progress': 'govuk-tag--blue',
  'evidence-submitted': 'govuk-tag--yellow',
  'complete': 'govuk-tag--green',
  'overdue': 'govuk-tag--red',
  'archived': 'govuk-tag--grey',
};

/** An action's status as every screen shows it. */
export function StatusTag({ status }: { status: DisplayStatus }) {
  return <strong class={`govuk-tag ${STATUS_TAG[status]}`}>{STATUS_LABELS[status]}</strong>;
}

/** The head of residence's decision on a piece of evidence. */
export function DecisionTag({ decision }: { decision: 'accepted' | 'returned' }) {
  return (
    <strong class={`govuk-tag ${decision === 'accepted' ? 'govuk-tag--green' : 'govuk-tag--orange'}`} data-testid="decision">
      {DECISION_LABELS[decision]}
    </strong>
  );
}
