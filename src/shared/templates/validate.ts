import { isFailure } from './answers.ts';
import type { Answer, TemplateItem, TemplateVersion } from './schema.ts';

// Apart from answers.ts (which screens use to show answers): only submitting and the server
// validate, so this loads with the schemas at submit, not with the first screen.

export interface AnswerIssue {
  itemId: string;
  message: string;
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
