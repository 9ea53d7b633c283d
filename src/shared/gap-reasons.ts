/**
 * Why an expected check was missed or late, as the unit manager or duty governor explains it. No
 * zod here: Today (the device's first screen) names them.
 */
export const GAP_REASONS = ['lockdown', 'regime-curtailment', 'staffing', 'unit-closed', 'other'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export const GAP_REASON_LABELS: Record<GapReason, string> = {
  'lockdown': 'Lockdown',
  'regime-curtailment': 'Regime curtailment',
  'staffing': 'Staffing',
  'unit-closed': 'Unit closed',
  'other': 'Other',
};

/** Where an explanation stands with the head of residence. */
export type GapStatus = 'awaiting-review' | 'accepted' | 'queried';

export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  'awaiting-review': 'Explained, awaiting review',
  'accepted': 'Explanation accepted',
  'queried': 'Explanation queried',
};

/** An explanation in a sentence: "Lockdown: a search of the wing" or just "Staffing". */
export function gapReasonWords(reason: GapReason, detail: string): string {
  const label = GAP_REASON_LABELS[reason];
  return detail.trim() === '' ? label : `${label}: ${detail.trim()}`;
}

/** How many days back a missed check can still be explained from the Today screen. */
export const EXPLAIN_DAYS_BACK = 14;
