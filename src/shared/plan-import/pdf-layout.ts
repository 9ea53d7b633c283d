/**
 * A PDF's text, as positioned pieces (what pdf.js's getTextContent gives), back into the rows of
 * cells the importer reads. A PDF has no table, only text drawn at places: lines are pieces at one
 * height; columns are where a header row's cells start or, with no header, the left edges many
 * lines share; a table row begins where a reference ("1", "2.3") stands in the reference column;
 * within a cell, a wider gap between lines or a bullet starts a new paragraph, the way
 * the published plans separate actions. A page break starts a new row, as a continuation (the
 * importer joins it to the row above). Pure: the caller reads the PDF.
 */
import { headerColumns, REF } from './columns.ts';
import type { PdfRule } from './pdf-rules.ts';

export interface PdfTextItem {
  str: string;
  /** Left edge and baseline, in points from the page's bottom left. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A page's text pieces and the horizontal rules it draws (a table's borders, where it has them). */
export interface PdfPage {
  items: readonly PdfTextItem[];
  rules?: readonly PdfRule[];
}

interface Fragment {
  x: number;
  end: number;
  y: number;
  height: number;
  text: string;
}

interface Line {
  page: number;
  y: number;
  height: number;
  fragments: Fragment[];
}

/** Pieces closer than this (points) are one run of text; further apart, separate cells. */
const CELL_GAP = 8;
/** Pieces whose baselines differ by less than this (points) are on one line. */
const SAME_LINE = 2.5;
/** A left edge shared by this many lines (or more) is a column, with no header to say so. */
const MIN_COLUMN_LINES = 3;
/** A bullet starts a list item, as "•" does in a cell's HTML; it is not part of the item's text. */
const BULLET = /^[•▪◦●■\-–]\s/;
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function linesOf(pages: readonly PdfPage[]): Line[] {
  const lines: Line[] = [];
  pages.forEach(({ items }, page) => {
    const pieces = items.filter((i) => i.str.trim()).sort((a, b) => b.y - a.y || a.x - b.x);
    const pageLines: { y: number; items: PdfTextItem[] }[] = [];
    for (const item of pieces) {
      const line = pageLines.find((l) => Math.abs(l.y - item.y) < SAME_LINE);
      if (line) line.items.push(item);
      else pageLines.push({ y: item.y, items: [item] });
    }
    for (const { y, items: onLine } of pageLines.sort((a, b) => b.y - a.y)) {
      const fragments: Fragment[] = [];
      for (const item of onLine.sort((a, b) => a.x - b.x)) {
        const last = fragments.at(-1);
        if (last && item.x - last.end < CELL_GAP) {
          // Pieces of one word touch; a gap, or a piece placed back over the one before (some
          // writers position a line's words from its start), is a space between words.
          const apart = Math.abs(item.x - last.end) > 1;
          last.text += (apart && !last.text.endsWith(' ') && !item.str.startsWith(' ') ? ' ' : '') + item.str;
          last.end = Math.max(last.end, item.x + item.width);
        } else {
          fragments.push({ x: item.x, end: item.x + item.width, y, height: item.height, text: item.str });
        }
      }
      for (const f of fragments) f.text = f.text.replace(/\s+/g, ' ').trim();
      lines.push({ page, y, height: Math.max(...onLine.map((i) => i.height), 1), fragments });
    }
  });
  return lines;
}

/** A line just under a header line, of short words and no reference: the header's cells wrapped. */
const continuesHeader = (above: Line, line: Line) =>
  line.page === above.page
  && above.y - line.y < above.height * 1.9
  && line.fragments.every((f) => f.text.length <= 30 && !REF.test(f.text) && !/[.!?]$/.test(f.text));

/**
 * A header row at line `index`, its cells' words wrapped onto the line below where the columns
 * are narrow ("1. Rec" over "No"): each piece below joins the header cell it stands under.
 */
function isHeaderAt(lines: readonly Line[], index: number): boolean {
  const line = lines[index];
  if (!line || line.fragments.length < 3) return false;
  const texts = line.fragments.map((f) => f.text);
  if (headerColumns(texts)) return true;
  const next = lines[index + 1];
  if (!next || !continuesHeader(line, next)) return false;
  for (const piece of next.fragments) {
    let under = -1;
    line.fragments.forEach((f, i) => {
      if (f.x <= piece.x + 4) under = i;
    });
    if (under >= 0) texts[under] = `${texts[under] ?? ''} ${piece.text}`;
  }
  return headerColumns(texts) !== null;
}

/** Column left edges: a header row's cells, or else the left edges many lines share. */
function columnsOf(lines: readonly Line[]): { starts: number[]; header: number | null } {
  const header = lines.findIndex((_, index) => isHeaderAt(lines, index));
  const headerLine = lines[header];
  if (headerLine) return { starts: headerLine.fragments.map((f) => f.x), header };
  const counts = new Map<number, number>();
  for (const line of lines) {
    if (line.fragments.length < 2) continue;
    for (const f of line.fragments) counts.set(Math.round(f.x / 4) * 4, (counts.get(Math.round(f.x / 4) * 4) ?? 0) + 1);
  }
  const starts = [...counts.entries()].filter(([, n]) => n >= MIN_COLUMN_LINES).map(([x]) => x).sort((a, b) => a - b);
  // Neighbouring edges a few points apart are one column.
  return { starts: starts.filter((x, i) => i === 0 || x - (starts[i - 1] ?? 0) > 12), header: null };
}

const columnAt = (starts: readonly number[], x: number) => {
  let column = 0;
  starts.forEach((start, i) => {
    if (x + 4 >= start) column = i;
  });
  return column;
};

interface CellLines {
  lines: { y: number; height: number; text: string }[];
}

function cellHtml(cell: CellLines): string {
  const paragraphs: string[] = [];
  let previous: { y: number; height: number } | null = null;
  for (const line of cell.lines) {
    const gap = previous ? previous.y - line.y : 0;
    const last = paragraphs.length - 1;
    // A numbered point without a gap above it stays in its paragraph, as a nested <ol> stays in
    // the action it follows; its number stays too, so a point continued on the next page joins it.
    if (previous && gap < previous.height * 1.9 && !BULLET.test(line.text) && last >= 0) {
      paragraphs[last] = `${paragraphs[last] ?? ''} ${line.text}`;
    } else {
      paragraphs.push(line.text);
    }
    previous = line;
  }
  return paragraphs.map((p) => `<p>${escapeHtml(p.replace(BULLET, '').trim())}</p>`).join(' ');
}

/**
 * Each page's rules that cross the table, from its second column's start to its last column's:
 * collinear pieces (a border drawn cell by cell) joined first. A cell's own underline is not one.
 */
function tableRules(pages: readonly PdfPage[], starts: readonly number[]): number[][] {
  const from = (starts[1] ?? 0) - 2;
  const to = (starts.at(-1) ?? 0) + 2;
  return pages.map(({ rules = [] }) => {
    const sorted = [...rules].sort((a, b) => a.y - b.y || a.x1 - b.x1);
    const spans: PdfRule[] = [];
    for (const rule of sorted) {
      const last = spans.at(-1);
      if (last && Math.abs(last.y - rule.y) <= 0.75 && rule.x1 <= last.x2 + 3) last.x2 = Math.max(last.x2, rule.x2);
      else spans.push({ ...rule });
    }
    return spans.filter((span) => span.x1 <= from && span.x2 >= to).map((span) => span.y);
  });
}

export function pdfTextToGrid(pages: readonly PdfPage[]): string[][] {
  const lines = linesOf(pages);
  const { starts, header } = columnsOf(lines);
  const width = starts.length;
  const rows: string[][] = [];
  if (width < 3) return lines.map((line) => [line.fragments.map((f) => f.text).join(' ')]);
  // Where the table draws its borders, a rule between two lines ends a row: the PDF says so.
  const rules = tableRules(pages, starts);
  const bordered = rules.some((ys) => ys.length > 0);
  const ruleBetween = (above: Line | undefined, line: Line) =>
    above?.page === line.page && (rules[line.page] ?? []).some((y) => y < above.y && y > line.y + line.height * 0.6);
  // The reference column: the header's, or the one most references stand in.
  const refCounts = new Array<number>(width).fill(0);
  for (const line of lines) {
    for (const f of line.fragments) {
      const column = columnAt(starts, f.x);
      if (REF.test(f.text)) refCounts[column] = (refCounts[column] ?? 0) + 1;
    }
  }
  const headerNames = header === null ? null : headerColumns((lines[header]?.fragments ?? []).map((f) => f.text));
  const refColumn = headerNames?.get('ref') ?? refCounts.indexOf(Math.max(...refCounts));
  const concernColumn = headerNames?.get('text');
  // With no borders, a row with no reference (a second recommendation under a concern, or more
  // actions with their dates) begins below a band clear across every column, where the concern
  // column or two columns at once start new text: between paragraphs of one row, the concern's
  // cell is finished or still running, and the other cells' paragraphs seldom start together.
  const clearAbove = (line: Line) =>
    open.row !== null
    && !bordered
    && (new Set(line.fragments.map((f) => columnAt(starts, f.x))).size >= 2
      || line.fragments.some((f) => columnAt(starts, f.x) === concernColumn))
    && open.row.every((cell) => {
      const last = cell.lines.at(-1);
      return !last || last.y - line.y >= last.height * 1.9;
    });
  const refAt = (line: Line) => line.fragments.some((f) => columnAt(starts, f.x) === refColumn && REF.test(f.text));
  const tableStart = header ?? lines.findIndex(refAt);
  const secondColumn = starts[1] ?? Infinity;
  const open: { row: CellLines[] | null } = { row: null };
  let page = -1;
  let headerLine: Line | null = null;
  const flush = () => {
    if (open.row) rows.push(open.row.map(cellHtml));
    open.row = null;
  };
  for (const [index, line] of lines.entries()) {
    // Before the table, and prose after it (one run across the columns): rows of one cell.
    const [only] = line.fragments;
    const prose = line.fragments.length === 1 && only !== undefined && only.x < secondColumn && only.end > secondColumn + 40;
    if (index < Math.max(tableStart, 0) || prose) {
      flush();
      rows.push([line.fragments.map((f) => f.text).join(' ')]);
      continue;
    }
    const cells = new Map<number, string>();
    for (const f of line.fragments) {
      const column = columnAt(starts, f.x);
      cells.set(column, `${cells.get(column) ?? ''} ${f.text}`.trim());
    }
    const isHeader = index === header || headerColumns(Array.from({ length: width }, (_, c) => cells.get(c) ?? '')) !== null
      || isHeaderAt(lines, index);
    if (isHeader) {
      flush();
      open.row = Array.from({ length: width }, () => ({ lines: [] }));
      headerLine = line;
    } else if (headerLine && continuesHeader(headerLine, line)) {
      // The header's cells wrapped onto the line below ("Responsible" / "Owner"): part of the header.
      headerLine = line;
    } else {
      if (headerLine) flush();
      headerLine = null;
      const startsRow = REF.test(cells.get(refColumn) ?? '') || line.page !== page || open.row === null
        || ruleBetween(lines[index - 1], line) || clearAbove(line);
      if (startsRow) {
        flush();
        open.row = Array.from({ length: width }, () => ({ lines: [] }));
      }
    }
    page = line.page;
    for (const [column, text] of cells) open.row?.[column]?.lines.push({ y: line.y, height: line.height, text });
  }
  flush();
  return rows;
}
