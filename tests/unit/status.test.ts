import { describe, expect, it } from 'vitest';
import { completionProblem, currentDecision, displayStatus, statusLabel } from '../../src/shared/status.ts';

describe('action status rules', () => {
  it('names every stored status in one set of words, and shows one it does not know as it is', () => {
    expect(['not-started', 'in-progress', 'evidence-submitted', 'complete', 'archived'].map(statusLabel)).toEqual([
      'Not started',
      'In progress',
      'Evidence submitted',
      'Complete',
      'Archived',
    ]);
    expect(statusLabel('on-hold')).toBe('on-hold');
    expect(statusLabel('toString')).toBe('toString');
  });

  it('shows an unfinished action as overdue after its due date, never a complete or archived one', () => {
    expect(displayStatus({ status: 'in-progress', due: '2026-11-22' }, '2026-11-23')).toBe('overdue');
    expect(displayStatus({ status: 'in-progress', due: '2026-11-23' }, '2026-11-23')).toBe('in-progress');
    expect(displayStatus({ status: 'complete', due: '2020-01-01' }, '2026-11-23')).toBe('complete');
    expect(displayStatus({ status: 'archived', due: '2020-01-01' }, '2026-11-23')).toBe('archived');
    expect(displayStatus({ status: 'not-started', due: null }, '2026-11-23')).toBe('not-started');
  });

  it('allows "complete" only with accepted evidence or a written reason', () => {
    expect(completionProblem({ acceptedEvidence: 0, reason: undefined })).toContain('only when evidence');
    expect(completionProblem({ acceptedEvidence: 0, reason: '   ' })).toContain('only when evidence');
    expect(completionProblem({ acceptedEvidence: 1, reason: undefined })).toBeNull();
    expect(completionProblem({ acceptedEvidence: 0, reason: 'Policy published on the intranet.' })).toBeNull();
  });

  it('takes the latest review decision as the one that stands', () => {
    const reviews = [
      { decision: 'returned', reviewedAt: '2026-11-20T10:00:00Z' },
      { decision: 'accepted', reviewedAt: '2026-11-21T10:00:00Z' },
    ];
    expect(currentDecision(reviews)?.decision).toBe('accepted');
    expect(currentDecision([])).toBeNull();
  });
});
