import path from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { csvToGrid, htmlToGrid } from '../../../src/shared/plan-import/grid.ts';
import { odfToHtml } from '../../../src/shared/plan-import/odf.ts';
import { pdfTextToGrid, type PdfPage } from '../../../src/shared/plan-import/pdf-layout.ts';
import { horizontalRules } from '../../../src/shared/plan-import/pdf-rules.ts';
import { parseGrid, parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import { PlanParseError, type PlanPreview } from '../../../src/shared/plan-import/schema.ts';

const ZIP_MAGIC = 'PK\u0003\u0004';

// Pictures carry nothing the importer reads; left unread, a photo-heavy .docx costs no memory for them.
const NO_IMAGES = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/** The engine's own limits (stack depth, string length): a file too complex to read, not a broken one. */
export const isEngineLimit = (error: unknown): error is RangeError =>
  error instanceof RangeError && /call stack size|invalid string length|array buffer allocation/i.test(error.message);

/**
 * Reads an uploaded or given plan file of any supported kind: .docx as published on GOV.UK
 * (through mammoth), .odt (its content.xml), PDF (its positioned text, through pdf.js), HTML, CSV
 * with a header row, or the text/TSV shape. Throws PlanParseError,
 * with one line saying why, for anything it cannot use.
 *
 * It runs on the calling thread with no bound on time or memory: the server and the CLI call it
 * through plan-parser.ts, which runs it in a child process with both limits.
 */
export async function parsePlanFile(bytes: Uint8Array, fileName: string): Promise<PlanPreview> {
  const name = path.basename(fileName);
  const extension = path.extname(name).toLowerCase();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0) throw new PlanParseError(`${name}: the file is empty`);
  if (buffer.subarray(0, 4).toString('latin1') === ZIP_MAGIC) {
    if (extension === '.odt') return parseGrid(htmlToGrid(odfToHtml(await odtContent(buffer, name))), name);
    if (extension !== '.docx') throw new PlanParseError(`${name}: is a zip file, not a .docx, .odt, text, HTML or CSV plan`);
    let html: string;
    try {
      html = (await mammoth.convertToHtml({ buffer }, { convertImage: NO_IMAGES })).value;
    } catch (error) {
      if (isEngineLimit(error)) throw error;
      throw new PlanParseError(`${name}: is not a readable Word document`);
    }
    return parseGrid(htmlToGrid(html), name);
  }
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') return parseGrid(pdfTextToGrid(await pdfText(bytes, name)), name);
  if (buffer.includes(0)) throw new PlanParseError(`${name}: is a binary file, not a text action plan`);
  const text = new TextDecoder('utf-8').decode(buffer);
  if ((text.match(/\uFFFD/g) ?? []).length > text.length / 100) throw new PlanParseError(`${name}: is not UTF-8 text`);
  if (extension === '.csv') return parseGrid(csvToGrid(text), name);
  if (extension === '.html' || extension === '.htm' || /^\s*<(!doctype|html|table|body)/i.test(text)) return parseGrid(htmlToGrid(text), name);
  return parsePlanText(text, name);
}

/** The content.xml of an OpenDocument text file, or a one-line refusal. */
async function odtContent(buffer: Buffer, name: string): Promise<string> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch (error) {
    if (isEngineLimit(error)) throw error;
    throw new PlanParseError(`${name}: is not a readable OpenDocument file`);
  }
  const mimetype = await zip.file('mimetype')?.async('string');
  if (mimetype !== undefined && mimetype.trim() !== 'application/vnd.oasis.opendocument.text') {
    throw new PlanParseError(`${name}: is an OpenDocument file but not a text document (${mimetype.trim().slice(0, 60)})`);
  }
  const content = await zip.file('content.xml')?.async('string');
  if (content === undefined) throw new PlanParseError(`${name}: is not a readable OpenDocument text file (no content.xml)`);
  return content;
}

/** Each page's text pieces with their positions and the rules it draws, or a one-line refusal. */
async function pdfText(bytes: Uint8Array, name: string): Promise<PdfPage[]> {
  // Loaded only for a PDF: pdf.js is large, and most plans are .docx.
  const { getDocument, OPS, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document: Awaited<ReturnType<typeof getDocument>['promise']>;
  try {
    // A copy: pdf.js takes the buffer over.
    const options = { data: new Uint8Array(bytes), isEvalSupported: false, verbosity: VerbosityLevel.ERRORS };
    document = await getDocument(options).promise;
  } catch (error) {
    if (isEngineLimit(error)) throw error;
    const why = (error as Error).name === 'PasswordException' ? 'it is protected by a password' : 'it is damaged or not a PDF';
    throw new PlanParseError(`${name}: is not a readable PDF (${why})`);
  }
  const codes = {
    save: OPS.save,
    restore: OPS.restore,
    transform: OPS.transform,
    constructPath: OPS.constructPath,
    paints: new Set([
      OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill,
      OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke,
    ]),
  };
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= document.numPages; n += 1) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.flatMap((item) =>
        'str' in item ? [{ str: item.str, x: Number(item.transform[4]), y: Number(item.transform[5]), width: item.width, height: item.height }] : [],
      );
      // The drawing, for the table's borders (where rows begin and end); a page with no text (a
      // picture) has no table to read, so its drawing is not worth decoding.
      const operators = items.some((i) => i.str.trim()) ? await page.getOperatorList() : null;
      pages.push({ items, rules: operators ? horizontalRules(operators.fnArray, operators.argsArray, codes) : [] });
      page.cleanup();
    }
    if (pages.every(({ items }) => items.every((i) => !i.str.trim()))) {
      throw new PlanParseError(`${name}: has no text to read (a scanned PDF is a picture of the plan): use the .docx or the text`);
    }
    return pages;
  } finally {
    await document.destroy();
  }
}
