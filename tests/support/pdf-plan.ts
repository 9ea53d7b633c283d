import PDFDocument from 'pdfkit';

/**
 * A plan as a PDF table, the way a word processor prints one: the preamble, a header row, then
 * each row's cells side by side, text wrapped to its column with a gap between paragraphs, and
 * the header printed again at the top of each new page. `beside` lines each cell's paragraphs up
 * across the row (an action beside its owner and date), as plans laid out with blank lines do;
 * `stacked` lets each cell's paragraphs run down from the top of the row, as typed. A row breaks
 * across pages (between paragraphs, or between lines when stacked), each cell continuing under the
 * header on the next page. Rows are ruled above and below, as a table with borders prints, unless
 * `borders` is false.
 */
export async function pdfPlan(
  preamble: string[],
  header: string[],
  rows: string[][][],
  options: { widths?: number[]; cells?: 'beside' | 'stacked'; borders?: boolean } = {},
): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', () => {
    resolve();
  }));
  const left = 36;
  const usable = doc.page.width - 72;
  const columnWidths = options.widths ?? header.map(() => usable / header.length);
  const xs = columnWidths.map((_, i) => left + columnWidths.slice(0, i).reduce((a, b) => a + b, 0));
  const bottom = doc.page.height - 36;
  doc.font('Helvetica').fontSize(9);
  let y = 36;
  for (const line of preamble) {
    doc.text(line, left, y, { width: usable });
    y = doc.y + 6;
  }
  /** A paragraph wrapped to its column, as the word processor wraps it. */
  const linesOf = (text: string, i: number): string[] => {
    const room = (columnWidths[i] ?? 100) - 8;
    const lines: string[] = [];
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const last = lines.at(-1);
      if (last !== undefined && doc.widthOfString(`${last} ${word}`) <= room) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines;
  };
  const heightOf = (text: string, i: number) => (text ? doc.heightOfString(text, { width: (columnWidths[i] ?? 100) - 8 }) : 0);
  const draw = (text: string, i: number, top: number) => {
    doc.text(text, xs[i] ?? left, top, { width: (columnWidths[i] ?? 100) - 8 });
  };
  const right = left + columnWidths.reduce((a, b) => a + b, 0);
  const rule = (at: number) => {
    if (options.borders !== false) doc.moveTo(left, at).lineTo(right, at).lineWidth(0.5).stroke();
  };
  const drawHeader = () => {
    const height = Math.max(...header.map((h, i) => heightOf(h, i)));
    rule(y - 3);
    header.forEach((h, i) => doc.font('Helvetica-Bold').text(h, xs[i] ?? left, y, { width: (columnWidths[i] ?? 100) - 8 }));
    doc.font('Helvetica');
    y += height + 10;
    rule(y - 5);
  };
  const newPage = () => {
    doc.addPage();
    y = 36;
    drawHeader();
  };
  drawHeader();
  for (const row of rows) {
    if (options.cells === 'stacked') {
      // Lines, not paragraphs, are what break across a page: a cell fills its page to the bottom.
      const queues = row.map((cell, i) =>
        cell.flatMap((text) => linesOf(text, i).map((line, n, all) => ({ line, gap: n === all.length - 1 ? 8 : 0 }))));
      const lineHeight = heightOf('X', 0);
      while (queues.some((queue) => queue.length)) {
        const top = y;
        let lowest = top;
        queues.forEach((queue, i) => {
          let cursor = top;
          while (queue.length && cursor + lineHeight <= bottom) {
            const { line, gap } = queue.shift() ?? { line: '', gap: 0 };
            draw(line, i, cursor);
            cursor += lineHeight + gap;
          }
          lowest = Math.max(lowest, cursor);
        });
        y = lowest + 6;
        rule(y - 5);
        if (queues.some((queue) => queue.length)) newPage();
      }
      continue;
    }
    const paragraphs = Math.max(...row.map((cell) => cell.length));
    const steps = Array.from({ length: paragraphs }, (_, p) => Math.max(...row.map((cell, i) => heightOf(cell[p] ?? '', i))));
    for (const [p, step] of steps.entries()) {
      if (y + step > bottom) {
        rule(y - 5);
        newPage();
      }
      row.forEach((cell, i) => {
        const text = cell[p];
        if (text) draw(text, i, y);
      });
      y += step + 8;
    }
    y += 6;
    rule(y - 5);
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
