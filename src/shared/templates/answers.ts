import type { Answer, TemplateItem } from './schema.ts';

/** Whether an answer is a failure: a "fail", a "no" that needs explaining, or a reading out of range. */
export function isFailure(item: TemplateItem, answer: Answer | undefined): boolean {
  const value = answer?.value;
  switch (item.kind) {
    case 'pass-fail':
      return value === 'fail';
    case 'yes-no':
      return value === false && item.noteOnNo;
    case 'number':
      return typeof value === 'number' && ((item.min !== undefined && value < item.min) || (item.max !== undefined && value > item.max));
    default:
      return false;
  }
}

const CHOSEN_WORDS: Record<string, string> = { pass: 'Pass', fail: 'Fail', na: 'Not applicable' };

/** An answer as a person reads it: "Pass", "Yes", "58 °C", or "Not answered". Not for photo items. */
export function describeAnswer(item: TemplateItem, value: Answer['value'] | undefined): string {
  if (value === undefined || value === null || value === '') return 'Not answered';
  if (item.kind === 'pass-fail') return CHOSEN_WORDS[String(value)] ?? String(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (item.kind === 'number' && typeof value === 'number') return `${value} ${item.unit}`;
  return String(value);
}

/** The reading's range as a person reads it: "63 °C or above". */
export function describeRange(item: Extract<TemplateItem, { kind: 'number' }>): string | null {
  if (item.min !== undefined && item.max !== undefined) return `${item.min}–${item.max} ${item.unit}`;
  if (item.min !== undefined) return `${item.min} ${item.unit} or above`;
  if (item.max !== undefined) return `${item.max} ${item.unit} or below`;
  return null;
}
