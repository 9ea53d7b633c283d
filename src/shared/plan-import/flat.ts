/**
 * Plans whose text lost its tabs, rebuilt into rows of cells for parseGrid:
 * - laid out with spaces (what PDF-to-text tools write): each column at its own character
 *   position, read as a PDF's positioned text is (pdf-layout.ts), one character a fixed width;
 * - each cell on a line of its own: a header of one cell per line says how many lines make a row
 *   (or, with the empty cells left out, each line's shape says which cell it is);
 * - each row's cells run together on one line (run-together.ts): numbered rows ending in dates,
 *   split by what each part is (dates at the end, a role title before them, agreement words, the
 *   concern before the response).
 * Null when the text is none of these: it is read as it stands.
 */
import { AGREEMENT, columnOf, headerColumns, isDateCell, isRoleCell, REF, SEPARATOR, type Column } from './columns.ts';
import { plainText } from './html.ts';
import { splitTargets } from './targets.ts';
import { CONCERN_GOES_ON, isRole, runTogetherRows } from './run-together.ts';
import { pdfTextToGrid, type PdfPage } from './pdf-layout.ts';

/** Points per character and per line of the pretend page: what pdf-layout's gaps are measured in. */
const CHAR = 5;
const LINE = 10;

/**
 * Columns laid out with spaces: at least this many lines each with two or more runs of text that
 * start, after two or more spaces, at character positions many lines share. Cells run together
 * with spaces where tabs were (no layout) start anywhere.
 */
const MIN_LAID_OUT_LINES = 4;
function laidOut(lines: readonly string[]): boolean {
  const startsOf = (line: string) => [...line.matchAll(/ {2,}(?=\S)/g)].map((m) => m.index + m[0].length);
  const shared = new Map<number, number>();
  for (const line of lines) for (const at of startsOf(line)) shared.set(at, (shared.get(at) ?? 0) + 1);
  const column = (at: number) => (shared.get(at) ?? 0) >= MIN_LAID_OUT_LINES;
  return lines.filter((line) => startsOf(line).filter(column).length >= 2).length >= MIN_LAID_OUT_LINES;
}

function laidOutPages(text: string): PdfPage[] {
  return text.split('\f').map((page) => ({
    items: page.split(/\r?\n/).flatMap((line, index) =>
      [...line.matchAll(/\S+(?: \S+)*/g)].map((run) => ({
        str: run[0],
        x: run.index * CHAR,
        y: -index * LINE,
        width: run[0].length * CHAR,
        height: LINE * 0.8,
      }))),
  }));
}

/** The header as one cell per line: a run of 3 or more lines that each name a different column. */
function cellPerLineHeader(lines: readonly string[]): { at: number; width: number } | null {
  for (let at = 0; at < lines.length; at += 1) {
    const named = new Set<Column>();
    let width = 0;
    for (let column = columnOf(lines[at] ?? ''); column !== null && !named.has(column) && width < 10; column = columnOf(lines[at + width] ?? '')) {
      named.add(column);
      width += 1;
    }
    if (width >= 3 && headerColumns(lines.slice(at, at + width))) return { at, width };
  }
  return null;
}

const blank = (line: string | undefined) => (line ?? '').trim() === '';

/**
 * How well a row's non-empty cells suit the columns they would stand in: dates in the target
 * column, agreement words in the agreement column, short role titles as owners, longer text in
 * the concern and action columns. What tells a blank line that is an empty cell from one a
 * converter put between rows.
 */
function fitOf(names: ReadonlyMap<number, Column>) {
  return (cells: readonly string[]): number =>
    cells.reduce((score, raw, i) => {
      const text = plainText(raw);
      if (!text || SEPARATOR.test(text)) return score;
      const column = names.get(i);
      const date = isDateCell(raw);
      if (column === 'target') return score + (date ? 2 : -2);
      if (date) return score - 2;
      if (column === 'agreement') return score + (AGREEMENT.test(text) ? 2 : -2);
      if (column === 'owner') return score + (isRoleCell(text) ? 1 : -2);
      return score + (text.length > 30 ? 1 : 0);
    }, 0);
}

interface Cut {
  fit: number;
  skips: number;
  take: boolean;
}

/**
 * A stretch of lines between two numbered rows cut into rows of `width` lines (continuation rows:
 * an empty first cell) and the blank lines a converter puts between rows. Blank lines are both
 * empty cells and separators, so the cut is the one whose cells best suit their columns, with the
 * fewest separators, and separators before rows where that does not decide. With `open` (after
 * the last numbered row) the table may end early: what follows is not a row. Returns the rows and how many lines they took.
 */
function cutRows(lines: readonly string[], width: number, open: boolean, fit: (cells: readonly string[]) => number) {
  const n = lines.length;
  const best: (Cut | null)[] = Array.from({ length: n + 1 }, () => null);
  best[n] = { fit: 0, skips: 0, take: false };
  const rowAt = (p: number) => {
    const cells = lines.slice(p, p + width);
    const first = (cells[0] ?? '').trim();
    return cells.length === width && (first === '' || SEPARATOR.test(first)) && cells.some((c) => !blank(c)) ? cells : null;
  };
  const ends: boolean[] = [];
  for (let p = n - 1; p >= 0; p -= 1) {
    const options: Cut[] = [];
    const row = rowAt(p);
    const afterRow = best[p + width];
    if (row && afterRow) options.push({ fit: afterRow.fit + fit(row), skips: afterRow.skips, take: true });
    const afterSkip = best[p + 1];
    if (blank(lines[p]) && afterSkip) options.push({ fit: afterSkip.fit, skips: afterSkip.skips + 1, take: false });
    // On a tie, the blank line is a separator: converters put them between rows, before the next.
    const chosen = options.sort((x, y) => y.fit - x.fit || x.skips - y.skips || Number(x.take) - Number(y.take))[0] ?? null;
    // Open: the table may end here, if what would follow fits no better than nothing.
    ends[p] = open && (chosen === null || chosen.fit <= 0);
    best[p] = ends[p] ? { fit: 0, skips: 0, take: false } : chosen;
  }
  const rows: string[][] = [];
  let p = 0;
  while (p < n && best[p] && !ends[p]) {
    if (best[p]?.take) {
      rows.push(lines.slice(p, p + width));
      p += width;
    } else p += 1;
  }
  return { rows, used: p };
}

const index = (names: ReadonlyMap<number, Column>, column: Column) => [...names].find(([, c]) => c === column)?.[0] ?? -1;

/** What a line holding one cell can be, by its shape. */
function kindOf(line: string): Column[] {
  const text = plainText(line);
  if (AGREEMENT.test(text)) return ['agreement'];
  // Dates are short: "January 2026", "Complete"; a sentence that mentions a year is not one.
  if (isDateCell(line) && splitTargets(line).every((t) => t.length <= 40)) return ['target'];
  if (isRole(text)) return ['owner', 'directedTo'];
  return ['text', 'actions', 'directedTo'];
}

/**
 * One cell per line with the empty cells left out (no blank lines to count): each line goes to
 * the next column along its row that its shape suits (dates to the target, role titles to the
 * owner, agreement words to the agreement, other text to the concern, then the actions); a line
 * that suits none of the columns left starts a row with no reference (more actions and dates, or
 * a concern that says it is one), and a short title before a numbered line is a section.
 */
function cellPerLineByShape(
  lines: readonly string[],
  { at, width, names, nextFilled, rowStarts }: CellPerLine,
): string[][] {
  const rows: string[][] = lines.slice(0, at).map((line) => [line]);
  rows.push(lines.slice(at, at + width));
  let current: string[] | null = null;
  let position = -1;
  // The last numbered row is where the table's end is sought.
  const lastRow = rowStarts.at(-1) ?? at;
  // The last row with a cell besides its reference: whose concern or actions a line may carry on.
  let above: string[] | undefined;
  const push = (row: string[]) => {
    rows.push(row);
    if (row.some((cell, c) => c !== index(names, 'ref') && cell)) above = row;
  };
  const place = (line: string, after: number, kinds: readonly Column[]) => {
    const column = [...names].filter(([i, c]) => i > after && kinds.includes(c)).sort((a, b) => a[0] - b[0])[0]?.[0];
    if (column === undefined || !current) return false;
    current[column] = line;
    position = column;
    return true;
  };
  for (let i = at + width; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (!line || SEPARATOR.test(line)) continue;
    if (headerAt(lines, i, width)) {
      i += width - 1;
      continue;
    }
    const next = (lines[nextFilled[i + 1] ?? lines.length] ?? '').trim();
    if (REF.test(line) && i <= lastRow) {
      if (current) push(current);
      current = Array.from({ length: width }, () => '');
      current[index(names, 'ref')] = line;
      position = index(names, 'ref');
      continue;
    }
    const kinds = kindOf(line);
    if (place(line, position, kinds)) continue;
    if (current) push(current);
    current = Array.from({ length: width }, () => '');
    const title = plainText(line).length <= 80 && !/[.!?:]$/.test(plainText(line)) && !kinds.includes('target');
    if (title && REF.test(next)) {
      current[index(names, 'text')] = line; // a section: "Key concerns"
      push(current);
      current = null;
      continue;
    }
    if (i > lastRow && (title || REF.test(line))) {
      // After the last row, a title that fits no cell is what follows the table (its summary).
      current = null;
      rows.push(...lines.slice(i).map((l) => [l]));
      break;
    }
    // A row with no reference: more actions (and their owners and dates), or the concern going on:
    // when it says so, when more text follows it (a concern, then its actions), or when it finishes
    // a sentence the concern above left open while the actions above ended theirs.
    const ended = (cell: string | undefined) => /[.!?:;)"'’”]$/.test(plainText(cell ?? ''));
    const concernOpen = /^[a-z]/.test(plainText(line)) && !ended(above?.[index(names, 'text')]) && ended(above?.[index(names, 'actions')]);
    const concern = kinds.includes('text')
      && (CONCERN_GOES_ON.test(line) || (kindOf(next).includes('actions') && !REF.test(next)) || concernOpen);
    place(line, concern ? -1 : index(names, 'text'), kinds);
  }
  if (current) push(current);
  return rows;
}

/** What reading one cell per line works from: the header, and where the text's rows are. */
interface CellPerLine {
  at: number;
  width: number;
  names: ReadonlyMap<number, Column>;
  /** For each line, the index of the first non-blank line at or after it. */
  nextFilled: readonly number[];
  /** Numbered lines followed by text (a concern): where rows begin. */
  rowStarts: readonly number[];
}

function cellPerLineRows(lines: readonly string[]): string[][] | null {
  const header = cellPerLineHeader(lines);
  if (!header) return null;
  const { at, width } = header;
  const named = headerColumns(lines.slice(at, at + width)) ?? new Map<Column, number>();
  const names = new Map([...named].map(([column, i]) => [i, column]));
  const fit = fitOf(names);
  // Blank lines for empty cells: rows of `width` lines. Where that reads fewer numbered rows than
  // the text has (a number followed by text), the empty cells were left out: each line is placed
  // by its shape instead.
  const counted = countedRows(lines, at, width, fit);
  const nextFilled: number[] = new Array<number>(lines.length + 1).fill(lines.length);
  for (let i = lines.length - 1; i >= 0; i -= 1) nextFilled[i] = blank(lines[i]) ? (nextFilled[i + 1] ?? lines.length) : i;
  const rowStarts = lines.flatMap((line, i) =>
    (REF.test(line.trim()) && plainText(lines[nextFilled[i + 1] ?? lines.length] ?? '').length >= 30 ? [i] : []));
  const read = counted.rows.filter((row) => row.length === width && REF.test((row[names.size ? index(names, 'ref') : 0] ?? '').trim())).length;
  return read >= rowStarts.length ? counted.rows : cellPerLineByShape(lines, { at, width, names, nextFilled, rowStarts });
}

function countedRows(lines: readonly string[], at: number, width: number, fit: (cells: readonly string[]) => number) {
  const rows: string[][] = lines.slice(0, at).map((line) => [line]);
  rows.push(lines.slice(at, at + width));
  // Each numbered line starts a row of `width` lines; the lines between are continuation rows.
  let i = at + width;
  for (;;) {
    let next = i;
    while (next < lines.length && !(REF.test((lines[next] ?? '').trim()) || headerAt(lines, next, width))) next += 1;
    // Lines that cannot all be cut into rows hold the table's end (a summary after it, whose
    // figures look like references): cut what can be, and stop there.
    const stretch = lines.slice(i, next);
    const closed = next < lines.length ? cutRows(stretch, width, false, fit) : null;
    const between = closed?.used === stretch.length ? closed : cutRows(stretch, width, true, fit);
    rows.push(...between.rows);
    if (next >= lines.length || between.used < next - i) {
      rows.push(...lines.slice(i + between.used).map((line) => [line]));
      return { rows, end: i + between.used };
    }
    rows.push(lines.slice(next, next + width));
    i = next + width;
  }
}

/** The header again (as printed at the top of each page) at `index`. */
const headerAt = (lines: readonly string[], index: number, width: number) =>
  columnOf(lines[index] ?? '') !== null && headerColumns(lines.slice(index, index + width)) !== null;

export interface FlatReading {
  rows: string[][];
  /** How the columns were found, for the warning the preview shows. */
  how: string;
  /** Concerns whose row could not be split for certain. */
  uncertain: string[];
}

export function flatTextToGrid(text: string): FlatReading | null {
  const lines = text.split(/\r?\n/);
  if (lines.filter((line) => line.includes('\t')).length >= 2) return null;
  if (laidOut(lines)) {
    return { rows: pdfTextToGrid(laidOutPages(text)), how: 'from where each column stands in lines laid out with spaces', uncertain: [] };
  }
  const rows = cellPerLineRows(lines);
  if (rows) return { rows, how: 'from a header of one cell per line, each row as many lines as the header', uncertain: [] };
  const run = runTogetherRows(lines);
  if (!run) return null;
  const unsure = run.uncertain.length
    ? `; where the parts of ${run.uncertain.join(', ')} could not all be told apart, their text is kept together as the action`
    : '';
  const how = `from rows run together on one line (dates at the end, a role title before them, the concern before the response)${unsure}`;
  return { rows: run.rows, how, uncertain: run.uncertain };
}
