/**
 * How long the importer takes on a large plan: 500 concerns with 5 actions each, in the published
 * TSV shape (paragraph owners and dates, bulleted actions, page-break continuation rows); and a
 * 60-page PDF of such a plan, a ruled table as a word processor prints it, read with pdf.js
 * (text and drawing) the way an upload is.
 * Run: npm run bench:plan-import
 */
import { parsePlanFile } from '../server/src/services/plan-files.ts';
import { parsePlanText } from '../src/shared/plan-import/parse.ts';
import { pdfPlan } from '../tests/support/pdf-plan.ts';
import { median, report } from './support/report.ts';

const RECS = 500;
const ACTIONS = 5;
const MONTHS = ['January', 'April', 'July', 'October'];

function syntheticPlan(): string {
  const rows = ['Action Plan: HMP Benchmark', '', '1. Rec No\t2. Concerns\t3. Response Action Taken/Planned\t4. Responsible Owner\t5. Target Date'];
  for (let r = 1; r <= RECS; r += 1) {
    if (r === 1) rows.push('\tPriority concerns\t\t\t');
    const bullets = Array.from({ length: ACTIONS - 1 }, (_, a) => `• Delivering improvement ${r}.${a + 1} across every residential unit, monitored weekly.`);
    const owners = Array.from({ length: ACTIONS - 1 }, () => '<p>Head of Residence</p>').join(' ');
    const dates = Array.from({ length: ACTIONS - 1 }, (_, a) => `<p>${MONTHS[a % 4] ?? 'May'} ${2026 + (r % 3)}</p>`).join(' ');
    rows.push(`${r}\t<p>Concern ${r}: living conditions on some units were poor and checks were not recorded.</p>\t<p>The establishment will address this by:</p> <ul> ${bullets.join(' ')}\t${owners}\t${dates}`);
    rows.push(`\t\t<p>Auditing concern ${r} monthly and reporting to the Governor.</p>\t\tComplete`);
  }
  return rows.join('\n');
}

const text = syntheticPlan();
const times: number[] = [];
let actions = 0;
for (let i = 0; i < 7; i += 1) {
  const started = performance.now();
  const plan = parsePlanText(text, 'synthetic.txt');
  times.push(performance.now() - started);
  actions = plan.recommendations.reduce((n, rec) => n + rec.actions.length, 0);
}

const PAGES = 60;
/** The same kind of plan as a PDF of about `PAGES` pages. */
async function syntheticPdf(concerns: number): Promise<{ bytes: Uint8Array; pages: number }> {
  const header = ['Rec No', 'Concerns', 'Response Action Taken/Planned', 'Responsible Owner', 'Target Date'];
  const rows = Array.from({ length: concerns }, (_, i) => {
    const r = i + 1;
    const actionTexts = Array.from({ length: ACTIONS }, (__, a) => `Delivering improvement ${r}.${a + 1} across every residential unit, monitored weekly.`);
    return [
      [String(r)],
      [`Concern ${r}: living conditions on some units were poor and checks were not recorded.`],
      ['The establishment will address this by:', ...actionTexts.map((t) => `• ${t}`)],
      actionTexts.map(() => 'Head of Residence'),
      actionTexts.map((__, a) => `${MONTHS[a % 4] ?? 'May'} ${2026 + (r % 3)}`),
    ];
  });
  const bytes = await pdfPlan(['Action Plan: HMP Benchmark'], header, rows, { widths: [50, 230, 290, 100, 100], cells: 'stacked' });
  const pages = (new TextDecoder('latin1').decode(bytes).match(/\/Type\s*\/Page\b/g) ?? []).length;
  return { bytes, pages };
}
let pdf = await syntheticPdf(100);
const concerns = Math.ceil(((100 * PAGES) / pdf.pages) * 1.02);
pdf = await syntheticPdf(concerns);
const pdfTimes: number[] = [];
let pdfActions = 0;
for (let i = 0; i < 3; i += 1) {
  const started = performance.now();
  const plan = await parsePlanFile(pdf.bytes, 'synthetic.pdf');
  pdfTimes.push(performance.now() - started);
  pdfActions = plan.recommendations.reduce((n, rec) => n + rec.actions.length, 0);
}

report({
  rows: [
    {
      benchmark: `plan import (\`npm run bench:plan-import\`): parsing a published plan, TSV, ${RECS} concerns, ${actions.toLocaleString('en-GB')} actions, `
        + `${(text.length / 1024).toFixed(0)} KB`,
      figure: `median ${median(times).toFixed(1)} ms, best ${Math.min(...times).toFixed(1)} ms over ${times.length} runs`,
      comparison: 'budget 1 s',
      ratio: '—',
    },
    {
      benchmark: `plan import: a ${pdf.pages}-page PDF (ruled table), ${concerns} concerns, ${pdfActions.toLocaleString('en-GB')} actions, `
        + `${(pdf.bytes.length / 1024).toFixed(0)} KB`,
      figure: `median ${(median(pdfTimes) / 1000).toFixed(2)} s, best ${(Math.min(...pdfTimes) / 1000).toFixed(2)} s over ${pdfTimes.length} runs`,
      comparison: 'budget 10 s',
      ratio: '—',
    },
  ],
});
