/** How a pack words what was recorded: answers, failures, dates and statuses, the same in the PDF and the CSV. */
import { displayStatus, STATUS_LABELS } from '../../../../src/shared/status.ts';
import { describeRange, isFailure } from '../../../../src/shared/templates/answers.ts';
import type { Answer, TemplateItem, TemplateVersion } from '../../../../src/shared/templates/schema.ts';

export interface AnswerLine {
  itemId: string;
  section: string;
  question: string;
  /** "Pass", "58 °C", "Yes", "2 photos". */
  answer: string;
  note: string;
  failed: boolean;
  /** Why it counts as a failure, for the reader: "Failed", "Out of range: 63 °C or above is acceptable". */
  failure: string | null;
}

const PASS_FAIL: Record<string, string> = { pass: 'Pass', fail: 'Fail', na: 'Not applicable' };

function answerWords(item: TemplateItem, value: Answer['value'] | undefined, photoCount: number): string {
  if (item.kind === 'photo') return photoCount === 1 ? '1 photo' : `${photoCount} photos`;
  if (value === undefined || value === null) return 'Not answered';
  if (item.kind === 'pass-fail') return PASS_FAIL[String(value)] ?? String(value);
  if (item.kind === 'yes-no') return value === true ? 'Yes' : value === false ? 'No' : String(value);
  if (item.kind === 'number') return `${String(value)} ${item.unit}`.trim();
  return String(value);
}

function failureWords(item: TemplateItem): string {
  if (item.kind === 'number') {
    const range = describeRange(item);
    return range ? `Out of range: ${range} is acceptable` : 'Out of range';
  }
  if (item.kind === 'yes-no') return 'Answered no';
  return 'Failed';
}

/**
 * A check's answers in its template's order, each with the words a reader needs. Items neither
 * answered nor photographed are left out (optional items skipped on the wing); an answer to an item
 * the template does not have (never accepted by the server, but old data may hold one) is kept as is.
 */
export function answerLines(
  template: TemplateVersion | null,
  answers: readonly Answer[],
  photos: readonly { itemId: string | null }[],
): AnswerLine[] {
  const byItem = new Map(answers.map((a) => [a.itemId, a]));
  const photoCount = (itemId: string) => photos.filter((p) => p.itemId === itemId).length;
  const lines: AnswerLine[] = [];
  const known = new Set<string>();
  for (const section of template?.sections ?? []) {
    for (const item of section.items) {
      known.add(item.id);
      const answer = byItem.get(item.id);
      const photosOfItem = photoCount(item.id);
      if (!answer && photosOfItem === 0) continue;
      const failed = isFailure(item, answer);
      lines.push({
        itemId: item.id,
        section: section.title,
        question: item.question,
        answer: answerWords(item, answer?.value, photosOfItem),
        note: answer?.note ?? '',
        failed,
        failure: failed ? failureWords(item) : null,
      });
    }
  }
  for (const answer of answers) {
    if (known.has(answer.itemId)) continue;
    lines.push({
      itemId: answer.itemId,
      section: '',
      question: answer.itemId,
      answer: answer.value === null ? 'Not answered' : String(answer.value),
      note: answer.note ?? '',
      failed: false,
      failure: null,
    });
  }
  return lines;
}

/** "23 Nov 2026, 09:10" in the establishment's time zone. */
export function localDateTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(instant);
}

/** "09:10" in the establishment's time zone. */
export function localTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, timeStyle: 'short' }).format(instant);
}

/** "2026-11-23 09:10" in the establishment's time zone: what spreadsheets read as a date and time. */
export function sortableDateTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** "23 November 2026" for a local date (YYYY-MM-DD). */
export function longDate(localDate: string): string {
  // Noon UTC: no time zone moves it to another day.
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${localDate}T12:00:00Z`));
}

/** An action's status as the app shows it, overdue included, on the pack's local date. */
export function statusWords(action: { status: string; due: string | null }, today: string): string {
  return STATUS_LABELS[displayStatus(action, today)];
}
