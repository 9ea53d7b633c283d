import Papa from 'papaparse';
import { plainText } from './html.ts';

/**
 * Other shapes of a published plan turned into rows of cells for parseGrid: an HTML document
 * with a table (what mammoth makes of a .docx) and CSV with a header row.
 */

/** Rows of every <table> in order, with the paragraphs before the first table as one-cell rows. */
export function htmlToGrid(html: string): string[][] {
  const rows: string[][] = [];
  const firstTable = html.search(/<table[\s>]/i);
  const preamble = firstTable === -1 ? html : html.slice(0, firstTable);
  for (const para of preamble.split(/<\/(?:p|h[1-6]|div)>/i)) {
    const text = plainText(para);
    if (text) rows.push([text]);
  }
  const tables = html.match(/<table[\s>][\s\S]*?<\/table>/gi) ?? [];
  for (const table of tables) {
    rows.push([]);
    for (const tr of table.match(/<tr[\s>][\s\S]*?<\/tr>/gi) ?? []) {
      const cells = tr.match(/<t[dh][\s>][\s\S]*?<\/t[dh]>/gi) ?? [];
      // Cell contents stay HTML: paragraphs and lists carry the structure the parser reads.
      rows.push(cells.map((cell) => cell.replace(/^<t[dh][^>]*>|<\/t[dh]>$/gi, '').replace(/[\t\r\n]+/g, ' ').trim()));
    }
  }
  return rows;
}

/** CSV (RFC 4180: quoted cells may hold commas and line breaks) as rows of cells. */
export function csvToGrid(text: string): string[][] {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  // A cell's line breaks become paragraphs, the way the published plans mark separate actions.
  return result.data.map((row) => row.map((cell) => (cell.includes('\n') ? cell.split(/\r?\n/).filter((l) => l.trim()).map((l) => `<p>${l}</p>`).join(' ') : cell)));
}
