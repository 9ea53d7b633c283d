/**
 * A PDF's text, as positioned pieces (what pdf.js's getTextContent gives), back into the rows of
 * cells the importer reads. A PDF has no table, only text drawn at places: lines are pieces at one
 * height; columns are where a header row's cells start or, with no header, the left edges many
 * lines share; a table row begins where a reference ("1", "2.3") stands in the reference column;
 * within a cell, a wider gap between lines, a bullet or a number starts a new paragraph, the way
 * the published plans separate actions. A page break starts a new row, as a continuation (the
 * importer joins it to the row above). Pure: the caller reads the PDF.
 */
import { headerColumns } from './parse.ts';

export interface PdfTextItem {
  str: string;
  /** Left edge and baseline, in points from the page's bottom left. */
  x: number;
  y: number;
  width: number;
  height: number;
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
const REF = /^\d+(?:\.\d+)*\.?$/;
const NEW_PARAGRAPH = /^(?:[•▪◦●■\-–]\s|\d+[.)]\s)/;
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function linesOf(pages: readonly (readonly PdfTextItem[])[]): Line[] {
  const lines: Line[] = [];
  pages.forEach((items, page) => {
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
          last.text += (item.x - last.end > 1 && !last.text.endsWith(' ') ? ' ' : '') + item.str;
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

/** Column left edges: a header row's cells, or else the left edges many lines share. */
function columnsOf(lines: readonly Line[]): { starts: number[]; header: number | null } {
  const isHeader = (line: Line) => line.fragments.length >= 3 && headerColumns(line.fragments.map((f) => f.text)) !== null;
  const header = lines.findIndex(isHeader);
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
    if (previous && gap < previous.height * 1.9 && !NEW_PARAGRAPH.test(line.text) && last >= 0) {
      paragraphs[last] = `${paragraphs[last] ?? ''} ${line.text}`;
    } else {
      paragraphs.push(line.text);
    }
    previous = line;
  }
  return paragraphs.map((p) => `<p>${escapeHtml(p.replace(NEW_PARAGRAPH, '').trim())}</p>`).join(' ');
}

export function pdfTextToGrid(pages: readonly (readonly PdfTextItem[])[]): string[][] {
  const lines = linesOf(pages);
  const { starts, header } = columnsOf(lines);
  const width = starts.length;
  const rows: string[][] = [];
  if (width < 3) return lines.map((line) => [line.fragments.map((f) => f.text).join(' ')]);
  // The reference column: the header's, or the one most references stand in.
  const refCounts = new Array<number>(width).fill(0);
  for (const line of lines) {
    for (const f of line.fragments) {
      const column = columnAt(starts, f.x);
      if (REF.test(f.text)) refCounts[column] = (refCounts[column] ?? 0) + 1;
    }
  }
  const headerRef = header === null ? undefined : headerColumns((lines[header]?.fragments ?? []).map((f) => f.text))?.get('ref');
  const refColumn = headerRef ?? refCounts.indexOf(Math.max(...refCounts));
  const refAt = (line: Line) => line.fragments.some((f) => columnAt(starts, f.x) === refColumn && REF.test(f.text));
  const tableStart = header ?? lines.findIndex(refAt);
  const secondColumn = starts[1] ?? Infinity;
  const open: { row: CellLines[] | null } = { row: null };
  let page = -1;
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
    const isHeader = index === header || headerColumns(Array.from({ length: width }, (_, c) => cells.get(c) ?? '')) !== null;
    const startsRow = isHeader || REF.test(cells.get(refColumn) ?? '') || line.page !== page || open.row === null;
    if (startsRow) {
      flush();
      open.row = Array.from({ length: width }, () => ({ lines: [] }));
    }
    page = line.page;
    for (const [column, text] of cells) open.row?.[column]?.lines.push({ y: line.y, height: line.height, text });
    if (isHeader) flush();
  }
  flush();
  return rows;
}
