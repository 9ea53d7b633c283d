// Every file shape the importer takes: .docx as published (through mammoth), .odt, HTML, CSV, text.
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../../server/src/services/plan-files.ts';
import { PlanParseError } from '../../../src/shared/plan-import/schema.ts';
import { odtDocument } from '../../support/odt.ts';
import { pdfPlan } from '../../support/pdf-plan.ts';

const HEADERS = ['1. Rec No', '2. Concerns', '3. Response Action Taken/Planned', '4. Responsible Owner', '5. Target Date'];
const ROWS: string[][][] = [
  [[''], ['Priority concerns'], [''], [''], ['']],
  [['1.7'], ['Food at serveries was often cold.'], ['Daily servery checks of temperature.', 'Weekly kitchen quality checks.'], ['Head of Residence', 'Catering Manager'], ['April 2023', 'Ongoing']],
  [['1.8'], ['Wings were dirty.'], ['Daily cleaning checklists on every unit.'], ['Head of Residence'], ['6th April 2023']],
];

async function docxPlan(): Promise<Uint8Array> {
  const cell = (paragraphs: string[]) => new TableCell({ children: paragraphs.map((text) => new Paragraph(text)) });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph('Action Plan: HMP Whitemoor'),
          new Table({
            rows: [
              new TableRow({ children: HEADERS.map((h) => cell([h])) }),
              ...ROWS.map((r) => new TableRow({ children: r.map(cell) })),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function expectWhitemoor(plan: Awaited<ReturnType<typeof parsePlanFile>>) {
  expect(plan.establishment).toBe('HMP Whitemoor');
  expect(plan.recommendations.map((r) => [r.ref, r.category, r.concern])).toEqual([
    ['1.7', 'Priority concern', 'Food at serveries was often cold.'],
    ['1.8', 'Priority concern', 'Wings were dirty.'],
  ]);
  expect(plan.recommendations[0]?.actions).toEqual([
    { text: 'Daily servery checks of temperature.', owner: 'Head of Residence', target: 'April 2023', due: '2023-04-30', complete: false, read: 'cell' },
    { text: 'Weekly kitchen quality checks.', owner: 'Catering Manager', target: 'Ongoing', due: null, complete: false, read: 'cell' },
  ]);
  expect(plan.recommendations[1]?.actions[0]).toMatchObject({ target: '6th April 2023', due: '2023-04-06' });
  expect(plan.warnings).toEqual([]);
}

describe('plan files', () => {
  it('reads a .docx table as published', async () => {
    expectWhitemoor(await parsePlanFile(await docxPlan(), 'whitemoor.docx'));
  });

  it('reads an OpenDocument text (.odt) table, with an empty row of repeated cells', async () => {
    const odt = await odtDocument(['Action Plan: HMP Whitemoor'], [HEADERS.map((h) => [h]), ROWS[0] ?? [], [[''], [''], [''], [''], ['']], ...ROWS.slice(1)]);
    expectWhitemoor(await parsePlanFile(odt, 'whitemoor.odt'));
  });

  it('reads a PDF table from where its text stands, owners and dates beside their actions', async () => {
    const pdf = await pdfPlan(['Action Plan: HMP Whitemoor'], HEADERS, ROWS.slice(1), { widths: [60, 220, 260, 120, 100] });
    const plan = await parsePlanFile(pdf, 'whitemoor.pdf');
    expect(plan.establishment).toBe('HMP Whitemoor');
    expect(plan.recommendations.map((r) => [r.ref, r.concern])).toEqual([
      ['1.7', 'Food at serveries was often cold.'],
      ['1.8', 'Wings were dirty.'],
    ]);
    expect(plan.recommendations[0]?.actions.map((a) => [a.text, a.owner, a.target])).toEqual([
      ['Daily servery checks of temperature.', 'Head of Residence', 'April 2023'],
      ['Weekly kitchen quality checks.', 'Catering Manager', 'Ongoing'],
    ]);
    expect(plan.recommendations[1]?.actions[0]).toMatchObject({ target: '6th April 2023', due: '2023-04-06' });
    expect(plan.warnings).toEqual([]);
  });

  it('reads an HTML table', async () => {
    const td = (paras: string[]) => `<td>${paras.map((p) => `<p>${p}</p>`).join('')}</td>`;
    const html = `<html><body><p>Action Plan: HMP Whitemoor</p><table><tr>${HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr>${ROWS.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</table></body></html>`;
    expectWhitemoor(await parsePlanFile(utf8(html), 'whitemoor.html'));
  });

  it('reads CSV with a header row, quoted cells holding commas and line breaks', async () => {
    const quote = (paras: string[]) => `"${paras.join('\n').replace(/"/g, '""')}"`;
    const csv = ['Action Plan: HMP Whitemoor', HEADERS.join(','), ...ROWS.map((r) => r.map(quote).join(','))].join('\r\n');
    expectWhitemoor(await parsePlanFile(utf8(csv), 'whitemoor.csv'));
  });

  it('reads the text/TSV shape', async () => {
    const tsv = ['Action Plan: HMP Whitemoor', HEADERS.join('\t'), ...ROWS.map((r) => r.map((paras) => paras.map((p) => `<p>${p}</p>`).join(' ')).join('\t'))].join('\n');
    expectWhitemoor(await parsePlanFile(utf8(tsv), 'whitemoor.txt'));
  });

  it.each([
    ['an empty file', new Uint8Array(), 'empty.txt', /empty\.txt: the file is empty/],
    ['a zip that is not a .docx', utf8('PK\u0003\u0004rest'), 'archive.zip', /archive\.zip: is a zip file/],
    ['a broken .docx', utf8('PK\u0003\u0004not really a document'), 'broken.docx', /broken\.docx: is not a readable Word document/],
    ['a broken PDF', utf8('%PDF-1.7 not really a document'), 'broken.pdf', /broken\.pdf: is not a readable PDF/],
    ['a broken .odt', utf8('PK\u0003\u0004not really a document'), 'broken.odt', /broken\.odt: is not a readable OpenDocument file/],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'photo.png', /photo\.png: is a binary file/],
  ])('refuses %s with one line', async (_what, bytes, name, message) => {
    await expect(parsePlanFile(bytes, name)).rejects.toThrow(PlanParseError);
    await expect(parsePlanFile(bytes, name)).rejects.toThrow(message);
  });
});
