// Layout variants of a published plan in the text/TSV shape: what real conversions do to a plan
// (the header lost or repeated, columns reordered or renamed, rows split by page breaks, tabs
// lost, each cell on a line of its own, the table saved as .docx or printed to PDF). Each keeps
// every word of the table, so what the importer reads from it can be scored against the original.
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { blocks } from '../../src/shared/plan-import/html.ts';
import { pdfPlan } from './pdf-plan.ts';

export interface PlanTable {
  lines: string[][];
  header: number;
  width: number;
}

export function planTable(text: string): PlanTable {
  const lines = text.split(/\r?\n/).map((line) => line.split('\t'));
  const header = lines.findIndex((cells) => /rec no/i.test(cells[0] ?? ''));
  if (header < 0) throw new Error('fixture without its header row');
  return { lines, header, width: lines[header]?.length ?? 0 };
}

const join = (lines: string[][]) => lines.map((cells) => cells.join('\t')).join('\n');
const isTableRow = (t: PlanTable, cells: string[], i: number) => i > t.header && cells.length === t.width;

/** The table's rows (not the preamble or the summary after it) with `change` applied to each. */
function eachTableRow(t: PlanTable, change: (cells: string[]) => string[]): string[][] {
  return t.lines.map((cells, i) => (isTableRow(t, cells, i) || i === t.header ? change(cells) : cells));
}

const RENAMED: Record<string, string> = {
  'Rec No': 'Ref',
  'Concerns': 'Issue identified',
  'Recommendation': 'Recommendation',
  'Agreed/ Partly Agreed/ Not Agreed': 'Accepted / Rejected',
  'Response Action Taken/Planned': 'Response',
  'Responsible Owner': 'Lead',
  'Target Date': 'Timescale',
};

/** A cell's paragraphs and list items as a word processor holds them: one per paragraph, bullets kept. */
const cellParagraphs = (html: string) => blocks(html).map((b) => (b.item && !b.unmarkedList ? `• ${b.text}` : b.text));

/** The columns of `t` in the paragraph form a .docx or PDF table holds. */
function paragraphRows(t: PlanTable): { preamble: string[]; header: string[]; rows: string[][][] } {
  const preamble = t.lines.slice(0, t.header).map((cells) => cells.join(' ').trim()).filter(Boolean);
  const rows = t.lines
    .filter((cells, i) => isTableRow(t, cells, i) && !cells.every((c) => /^\s*-*\s*$/.test(c)))
    .map((cells) => cells.map(cellParagraphs));
  return { preamble, header: t.lines[t.header] ?? [], rows };
}

/** Where a word processor would break `text` over a page: mid-sentence, before a lower-case word past its middle. */
function midSentence(text: string): number {
  const at = text.slice(Math.floor(text.length / 2)).search(/ [a-z]/);
  return at < 0 ? -1 : Math.floor(text.length / 2) + at;
}

/**
 * A page break inside each table row: where each action has its own paragraph or item and date, the last
 * action, its date (and its owner, where each action has one) continue on the "next page";
 * otherwise the concern's text breaks mid-sentence. The continuation has an empty reference cell
 * and comes after blank lines and the header printed again, as a word processor's table breaks.
 */
function splitAtPageBreaks(t: PlanTable): string {
  const [owner, target, actions, concern] = [t.width - 2, t.width - 1, t.width - 3, 1];
  const header = t.lines[t.header] ?? [];
  const paragraphsOf = (cell: string) => (/<p[\s>]/i.test(cell) ? cell.split(/(?<=<\/p>)\s*/).filter((p) => p.trim()) : [cell]);
  return join(t.lines.flatMap((cells, i) => {
    if (!isTableRow(t, cells, i) || !cells[0]?.trim()) return [cells];
    const first = [...cells];
    const next = cells.map(() => '');
    const actionBlocks = blocks(cells[actions] ?? '').map((b) => (b.item ? `<ul> • ${b.text}</ul>` : `<p>${b.text}</p>`));
    const targets = paragraphsOf(cells[target] ?? '');
    const owners = paragraphsOf(cells[owner] ?? '');
    const concernText = cells[concern] ?? '';
    if (actionBlocks.length >= 2 && actionBlocks.length === targets.length) {
      first[actions] = actionBlocks.slice(0, -1).join(' ');
      next[actions] = actionBlocks.at(-1) ?? '';
      first[target] = targets.slice(0, -1).join(' ');
      next[target] = targets.at(-1) ?? '';
      if (owners.length === targets.length) {
        first[owner] = owners.slice(0, -1).join(' ');
        next[owner] = owners.at(-1) ?? '';
      }
    } else if (!concernText.includes('<') && midSentence(concernText) > 0) {
      first[concern] = concernText.slice(0, midSentence(concernText));
      next[concern] = concernText.slice(midSentence(concernText) + 1);
    } else return [cells];
    return [first, [''], [''], [''], header, next];
  }));
}

/** `text` wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * The table as a PDF-to-text tool lays it out (pdftotext -layout): no tabs, each column at its own
 * character position, each cell's paragraphs wrapped to the column with a blank line between
 * them, a blank line between rows, and pages separated by a form feed with the header again.
 */
function layoutText(t: PlanTable): string {
  const { preamble, header, rows } = paragraphRows(t);
  const widths = header.map((_, i) => (i === 0 ? 8 : i >= t.width - 2 ? 24 : 44));
  const PAGE = 60;
  const lay = (cells: string[][]) => {
    const columns = cells.map((paragraphs, i) => paragraphs.flatMap((p, n) => [...(n ? [''] : []), ...wrap(p, (widths[i] ?? 20) - 2)]));
    const height = Math.max(1, ...columns.map((c) => c.length));
    return Array.from({ length: height }, (_, line) =>
      columns.map((c, i) => (c[line] ?? '').padEnd(widths[i] ?? 20)).join('').trimEnd());
  };
  const headerLines = lay(header.map((h) => [h]));
  const out: string[] = [...preamble.flatMap((line) => [line, '']), ...headerLines, ''];
  let onPage = out.length;
  for (const row of rows) {
    for (const line of [...lay(row), '']) {
      if (onPage >= PAGE) {
        out.push('\f', ...headerLines, '');
        onPage = headerLines.length + 1;
      }
      out.push(line);
      onPage += 1;
    }
  }
  return out.join('\n');
}

export const TEXT_VARIANTS: Record<string, (t: PlanTable) => string> = {
  'as published': (t) => join(t.lines),
  'header removed': (t) => join(t.lines.filter((_, i) => i !== t.header)),
  'header repeated every 12 lines, as on each page': (t) => {
    const header = t.lines[t.header] ?? [];
    return join(t.lines.flatMap((cells, i) => (i > t.header && (i - t.header) % 12 === 0 ? [header, cells] : [cells])));
  },
  'header in other words, unnumbered': (t) =>
    join(t.lines.map((cells, i) => (i === t.header ? cells.map((c) => {
      const words = c.replace(/^\d+\.\s*/, '').trim();
      return RENAMED[words] ?? words;
    }) : cells))),
  'columns in another order': (t) => {
    // Reference last, owner before target before the text: any order a template may use.
    const order = [...Array.from({ length: t.width - 1 }, (_, i) => t.width - 1 - i), 0];
    return join(eachTableRow(t, (cells) => order.map((i) => cells[i] ?? '')));
  },
  'columns in another order, no header': (t) => {
    const order = [0, ...Array.from({ length: t.width - 1 }, (_, i) => i + 1).reverse()];
    return join(eachTableRow(t, (cells) => order.map((i) => cells[i] ?? '')).filter((_, i) => i !== t.header));
  },
  'rows split at page breaks, header repeated after blank lines': splitAtPageBreaks,
  'tabs removed: columns laid out with spaces, as PDF-to-text tools write them': layoutText,
  'tabs removed: cells run together, one space where each tab was': (t) => join(t.lines).replace(/\t/g, ' '),
  'tabs removed: cells run together, two spaces where each tab was': (t) => join(t.lines).replace(/\t/g, '  '),
  'each cell on its own line': (t) => join(t.lines).replace(/\t/g, '\n'),
  'each cell on its own line, empty cells left out': (t) => t.lines.map((cells) => cells.filter((c) => c.trim()).join('\n')).join('\n'),
};

/** The table as a real .docx (built with `docx`): one paragraph per paragraph or list item of a cell. */
export async function docxVariant(t: PlanTable): Promise<Uint8Array> {
  const { preamble, header, rows } = paragraphRows(t);
  const cell = (paragraphs: string[]) => new TableCell({ children: (paragraphs.length ? paragraphs : ['']).map((text) => new Paragraph(text)) });
  const doc = new Document({
    sections: [{
      children: [
        ...preamble.map((line) => new Paragraph(line)),
        new Table({ rows: [header.map((h) => [h]), ...rows].map((row) => new TableRow({ children: row.map(cell) })) }),
      ],
    }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** The table printed to PDF (drawn with `pdfkit`), rows breaking across pages as a word processor's do. */
export async function pdfVariant(t: PlanTable, borders = true): Promise<Uint8Array> {
  const { preamble, header, rows } = paragraphRows(t);
  // Text columns wide, the reference narrow, as published plans are laid out.
  const widths = header.map((_, i): number => (i === 0 ? 50 : i === t.width - 2 || i === t.width - 1 ? 100 : 0));
  const fixed = widths.reduce((a, b) => a + b, 0);
  const rest = widths.filter((w) => w === 0).length;
  return pdfPlan(preamble, header, rows, { widths: widths.map((w) => w || (770 - fixed) / rest), cells: 'stacked', borders });
}
