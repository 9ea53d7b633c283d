import type { LocalDate } from './schedules.ts';

/** What an action's status shows as: the stored status, or "overdue" once its due date has passed unfinished. */
export type DisplayStatus = 'not-started' | 'in-progress' | 'evidence-submitted' | 'complete' | 'overdue' | 'archived';

export const STATUS_LABELS: Record<DisplayStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  'evidence-submitted': 'Evidence submitted',
  'complete': 'Complete',
  'overdue': 'Overdue',
  'archived': 'Archived',
};

/** The head of residence's decision on a piece of evidence, in words: the app, the PDF and the CSV say the same. */
export const DECISION_LABELS: Record<'accepted' | 'returned', string> = { accepted: 'Accepted', returned: 'Returned' };

/** The words for a stored status (one this version does not know shows as it is). */
export function statusLabel(status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status as DisplayStatus] : status;
}

export function displayStatus(action: { status: string; due: string | null }, today: LocalDate): DisplayStatus {
  if (action.status === 'archived' || action.status === 'complete') return action.status;
  if (action.due !== null && action.due < today) return 'overdue';
  if (action.status === 'in-progress' || action.status === 'evidence-submitted') return action.status;
  return 'not-started';
}

/**
 * An action may be marked complete only on accepted evidence or with a reason written down: an
 * inspector asking "show me" must find one or the other.
 */
export function completionProblem(input: { acceptedEvidence: number; reason: string | undefined }): string | null {
  if (input.acceptedEvidence > 0) return null;
  if (input.reason?.trim()) return null;
  return 'An action can be marked complete only when evidence for it has been accepted, or with a reason saying why it is complete.';
}

/** The decision that stands for a piece of evidence: the latest one made. */
export function currentDecision<T extends { reviewedAt: string }>(reviews: readonly T[]): T | null {
  return reviews.reduce<T | null>((latest, r) => (latest === null || r.reviewedAt > latest.reviewedAt ? r : latest), null);
}
