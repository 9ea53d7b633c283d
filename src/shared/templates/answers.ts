import type { Answer, TemplateItem, TemplateVersion } from './schema.ts';

export interface AnswerIssue {
  itemId: string;
  message: string;
}

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

/**
 * Whether a photo may be of this item: a photo item, or one that can fail (a failing answer offers
 * "Photo of the problem"; the photo stays if the answer is changed back).
 */
export function itemTakesPhotos(item: TemplateItem): boolean {
  switch (item.kind) {
    case 'photo':
    case 'pass-fail':
      return true;
    case 'yes-no':
      return item.noteOnNo;
    case 'number':
      return item.min !== undefined || item.max !== undefined;
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

function answered(item: TemplateItem, answer: Answer | undefined, photoCount: number): boolean {
  if (item.kind === 'photo') return photoCount > 0;
  const value = answer?.value;
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' && item.kind !== 'pass-fail') return value.trim().length > 0;
  return true;
}

/**
 * What stops a check being submitted: a required item unanswered, a failure without a note, an
 * answer of the wrong kind, an answer or a photo for an item the template does not have (or, for
 * a photo, one that takes none). Out-of-range readings are allowed (record what was measured) but,
 * like any failure, need a note saying what was done. (That each item is answered at most once is
 * the mutation schema's rule: SubmitCheckPayload.)
 */
export function validateAnswers(
  template: TemplateVersion,
  answers: readonly Answer[],
  photosByItem: Readonly<Record<string, number>> = {},
): AnswerIssue[] {
  const byId = new Map(answers.map((a) => [a.itemId, a]));
  const issues: AnswerIssue[] = [];
  for (const item of template.sections.flatMap((s) => s.items)) {
    const answer = byId.get(item.id);
    const value = answer?.value;
    if (!answered(item, answer, photosByItem[item.id] ?? 0)) {
      if (item.required) issues.push({ itemId: item.id, message: `Answer “${item.question}”` });
      continue;
    }
    const wrongKind
      = (item.kind === 'pass-fail' && !['pass', 'fail', 'na'].includes(String(value)))
        || (item.kind === 'number' && typeof value !== 'number')
        || (item.kind === 'yes-no' && typeof value !== 'boolean')
        || (item.kind === 'choice' && !item.options.includes(String(value)))
        || (item.kind === 'text' && typeof value !== 'string');
    if (wrongKind) {
      issues.push({ itemId: item.id, message: `The answer to “${item.question}” is not one it takes` });
      continue;
    }
    const needsNote = isFailure(item, answer) && (item.kind !== 'pass-fail' || item.noteOnFail);
    if (needsNote && !answer?.note?.trim()) {
      issues.push({ itemId: item.id, message: `Add a note saying what is wrong and what was done for “${item.question}”` });
    }
  }
  const items = new Map(template.sections.flatMap((s) => s.items).map((item) => [item.id, item]));
  for (const answer of answers) {
    if (!items.has(answer.itemId)) issues.push({ itemId: answer.itemId, message: `“${answer.itemId}” is not an item of this check` });
  }
  for (const itemId of Object.keys(photosByItem)) {
    const item = items.get(itemId);
    if (!item) issues.push({ itemId, message: `A photo is of “${itemId}”, which is not an item of this check` });
    else if (!itemTakesPhotos(item)) issues.push({ itemId, message: `A photo is of “${item.question}”, which does not take photos` });
  }
  return issues;
}
