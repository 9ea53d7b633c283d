import PDFDocument from 'pdfkit';

/**
 * A plan as a PDF table, the way a word processor prints one: the preamble, a header row, then
 * each row's cells side by side, text wrapped to its column, each cell's paragraphs lined up
 * across the row (an action beside its owner and date) with a gap between them, and the header
 * printed again at the top of each new page. Rows taller than the rest of a page move to the next.
 */
export async function pdfPlan(preamble: string[], header: string[], rows: string[][][], widths?: number[]): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', () => {
    resolve();
  }));
  const left = 36;
  const usable = doc.page.width - 72;
  const columnWidths = widths ?? header.map(() => usable / header.length);
  const xs = columnWidths.map((_, i) => left + columnWidths.slice(0, i).reduce((a, b) => a + b, 0));
  const bottom = doc.page.height - 36;
  doc.font('Helvetica').fontSize(9);
  let y = 36;
  for (const line of preamble) {
    doc.text(line, left, y, { width: usable });
    y = doc.y + 6;
  }
  const heightOf = (text: string, i: number) => (text ? doc.heightOfString(text, { width: (columnWidths[i] ?? 100) - 8 }) : 0);
  const drawHeader = () => {
    const height = Math.max(...header.map((h, i) => heightOf(h, i)));
    header.forEach((h, i) => doc.font('Helvetica-Bold').text(h, xs[i] ?? left, y, { width: (columnWidths[i] ?? 100) - 8 }));
    doc.font('Helvetica');
    y += height + 10;
  };
  drawHeader();
  for (const row of rows) {
    const paragraphs = Math.max(...row.map((cell) => cell.length));
    const steps = Array.from({ length: paragraphs }, (_, p) => Math.max(...row.map((cell, i) => heightOf(cell[p] ?? '', i))));
    const height = steps.reduce((a, b) => a + b + 8, 0);
    if (y + height > bottom) {
      doc.addPage();
      y = 36;
      drawHeader();
    }
    let top = y;
    steps.forEach((step, p) => {
      row.forEach((cell, i) => {
        const text = cell[p];
        if (text) doc.text(text, xs[i] ?? left, top, { width: (columnWidths[i] ?? 100) - 8 });
      });
      top += step + 8;
    });
    y = top + 6;
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
