import { plainText } from './html.ts';
import { splitTargets } from './targets.ts';

/** A reference cell: "1", "2.3", "5.12.". */
export const REF = /^\d+(?:\.\d+)*\.?$/;
/** A row of dashes a converter draws where a page broke, or nothing. */
export const SEPARATOR = /^\s*-*\s*$/;

/** What a column of a published plan's table holds. */
export type Column = 'ref' | 'text' | 'agreement' | 'actions' | 'owner' | 'target' | 'directedTo';

/**
 * The header cell's meaning, in the words published plans use for it, numbered or not:
 * "3. Response Action Taken/Planned" -> actions, "Lead" -> owner, "Timescale" -> target.
 */
export function columnOf(header: string): Column | null {
  const h = plainText(header).replace(/^\(?\d+[.)]\s*/, '').toLowerCase();
  if (h.length > 60) return null;
  if (/^(rec(ommendation)?|concern|para(graph)?)\.?\s*(no\b|number|ref)|^ref(erence)?\b|^no\.?$|^number$|^#$/.test(h)) return 'ref';
  if (/agreed|accepted|rejected|^agreement|^response to (the )?recommendation$/.test(h)) return 'agreement';
  if (h.includes('directed')) return 'directedTo';
  if (/owner|responsib|^lead\b|accountable|by whom/.test(h)) return 'owner';
  if (/target|date|timescale|deadline|by when|completion/.test(h)) return 'target';
  if (/action|response|progress|update/.test(h)) return 'actions';
  if (/concern|recommendation|finding|issue/.test(h)) return 'text';
  return null;
}

/** The columns a row names, if it is a header row: a reference, actions, and an owner or a target. */
export function headerColumns(row: string[]): Map<Column, number> | null {
  if (row.length < 3) return null;
  const columns = new Map<Column, number>();
  row.forEach((cell, i) => {
    const column = columnOf(cell);
    if (column && !columns.has(column)) columns.set(column, i);
  });
  return columns.has('ref') && columns.has('actions') && (columns.has('owner') || columns.has('target')) ? columns : null;
}

/** What the cells of agreement, target and owner columns look like. */
export const AGREEMENT = /^(not|partly|partially)?\s*agreed\b/i;
const DATE_LIKE = new RegExp(
  String.raw`\b(19|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|^(completed?|on-?going|immediate(ly)?|quarterly|monthly|weekly|daily|annually)\b`,
  'i',
);
export const isDateCell = (cell: string) => {
  const targets = splitTargets(cell);
  return targets.length > 0 && targets.every((t) => DATE_LIKE.test(t));
};
/** A role title or a name or two: short, not a sentence. */
export const isRoleCell = (text: string) => text.length <= 120 && !/[.!?]$/.test(text) && text.split(/\s+/).length <= 16;
