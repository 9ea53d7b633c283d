import { paragraphs } from './html.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = `(?:${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)`;
const SEASON = '(?:spring|summer|autumn|winter)';

const iso = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3))) + 1;
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDay(year, month);
}

export interface ReadTarget {
  due: string | null;
  complete: boolean;
}

/**
 * What a published target means: "April 2023" is due by the last day of April 2023,
 * "31/03/2026" and "6th April 2023" on that day, "Complete(d)" is done with no date, and
 * "Ongoing", "Quarterly" or a season have no date.
 */
export function readTarget(target: string): ReadTarget {
  const text = target.trim();
  if (/^(complete|completed|achieved|done)\b/i.test(text)) return { due: null, complete: true };
  let m = /\b(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/.exec(text);
  if (m) {
    const year = Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
    const [month, day] = [Number(m[2]), Number(m[1])];
    return { due: validDay(year, month, day) ? iso(year, month, day) : null, complete: false };
  }
  m = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH})\\.?,?\\s+(\\d{4})\\b`, 'i').exec(text);
  if (m) {
    const [year, month, day] = [Number(m[3]), monthNumber(m[2] ?? ''), Number(m[1])];
    return { due: validDay(year, month, day) ? iso(year, month, day) : null, complete: false };
  }
  m = new RegExp(`\\b(${MONTH})\\.?,?\\s+(\\d{4})\\b`, 'i').exec(text);
  if (m) {
    const [year, month] = [Number(m[2]), monthNumber(m[1] ?? '')];
    return { due: iso(year, month, lastDay(year, month)), complete: false };
  }
  return { due: null, complete: false };
}

/** One target, as plans write them: "September 2020", "6th April 2023", "31/03/2026", "Completed". */
export const TARGET = `(?:complete[d]?|ongoing|quarterly|monthly|weekly|annually|${SEASON}\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{4}|\\d{1,2}/\\d{1,2}/\\d{2,4})`;
// One target, as the fixtures write them run together without <p>: "September 2020 Completed".
const ONE_TARGET = new RegExp(TARGET, 'gi');

/**
 * The targets in a cell: one per <p>, or, where a cell runs several together with spaces only
 * ("September 2020 September 2020 Completed"), each recognisable target. Anything else is one
 * target, kept verbatim.
 */
export function splitTargets(cell: string): string[] {
  const paras = paragraphs(cell);
  if (paras.length !== 1) return paras;
  const [only] = paras as [string];
  const found = only.match(ONE_TARGET);
  if (found && found.length > 1 && found.join(' ').toLowerCase() === only.replace(/\s+/g, ' ').toLowerCase()) return found;
  return [only];
}

/**
 * The owners in a cell: one per <p>, or the same title repeated ("Governor Governor") once per
 * action. "Governor/ Education Provider" is one owner cell naming a shared responsibility.
 */
export function splitOwners(cell: string): string[] {
  const paras = paragraphs(cell).map((p) => p.replace(/\s*\/\s*/g, ' / '));
  if (paras.length !== 1) return paras;
  const [only] = paras as [string];
  const words = only.split(' ');
  for (let size = 1; size <= words.length / 2; size += 1) {
    if (words.length % size !== 0) continue;
    const unit = words.slice(0, size).join(' ');
    const repeats = words.length / size;
    if (Array.from({ length: repeats }, () => unit).join(' ') === only) return Array.from({ length: repeats }, () => unit);
  }
  return [only];
}
