// The importer against layout variants of the published plans, scored against what it reads from
// the originals (which fixtures.test.ts checks by hand): a guard against rules tuned to two files.
// Each variant is what a real conversion does to a plan (tests/support/plan-variants.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../../server/src/services/plan-files.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import { docxVariant, pdfVariant, planTable, TEXT_VARIANTS, type PlanTable } from '../../support/plan-variants.ts';

const FIXTURES = ['werrington-2020-action-plan.txt', 'werrington-2025-action-plan.txt'];
const read = (name: string) => readFileSync(new URL(`../../../fixtures/action-plans/${name}`, import.meta.url), 'utf8');

type Tuple = string;
const tuples = (plan: ParsedPlan): Tuple[] =>
  plan.recommendations.flatMap((r) => r.actions.map((a) => JSON.stringify([r.ref, a.text, a.owner, a.target])));

/** F1 of (concern, action text, owner, target) against the truth, counting repeats. */
function f1(found: Tuple[], truth: Tuple[]): number {
  const left = new Map<Tuple, number>();
  for (const t of truth) left.set(t, (left.get(t) ?? 0) + 1);
  let matched = 0;
  for (const t of found) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      matched += 1;
      left.set(t, n - 1);
    }
  }
  if (matched === 0) return 0;
  const precision = matched / found.length;
  const recall = matched / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

const VARIANTS: Record<string, (t: PlanTable, name: string) => Promise<ParsedPlan>> = {
  ...Object.fromEntries(Object.entries(TEXT_VARIANTS).map(([variant, make]) => [
    variant,
    (t: PlanTable, name: string) => Promise.resolve(parsePlanText(make(t), name)),
  ])),
  'a .docx table built with docx': async (t, name) => parsePlanFile(await docxVariant(t), name.replace(/\.txt$/, '.docx')),
  'a PDF table drawn with pdfkit': async (t, name) => parsePlanFile(await pdfVariant(t), name.replace(/\.txt$/, '.pdf')),
  'a PDF table drawn with pdfkit, no borders': async (t, name) => parsePlanFile(await pdfVariant(t, false), name.replace(/\.txt$/, '.pdf')),
};

/**
 * Hand-written documents of each shape, from establishments and an inspectorate the fixtures do
 * not come from, with what a careful reader takes from each: (concern, action, owner, target).
 */
interface Document {
  file: string;
  shape: string;
  establishment: string | null;
  truth: [string, string, string | null, string | null][];
  /** Something about the reading beyond the actions: agreement, who it is directed to. */
  check?: (plan: ParsedPlan) => void;
}

const DOCUMENTS: Document[] = [
  {
    file: 'no-header.txt',
    shape: 'no header row',
    establishment: 'HMP Ashfield',
    truth: [
      ['1.1', 'Wing cleaning checklists will be completed daily.', 'Head of Residence', 'March 2026'],
      ['1.1', 'Broken windows will be reported and repaired within 14 days.', 'Works Manager', 'Ongoing'],
      ['1.2', 'Servery temperatures will be checked and recorded at every meal.', 'Catering Manager', 'April 2026'],
      ['1.3', 'A new regime will unlock everyone for at least six hours a day.', 'Deputy Governor', '31/05/2026'],
    ],
  },
  {
    file: 'renamed-reordered-split.txt',
    shape: 'header in other words and order, repeated after a page break that splits a row',
    establishment: 'HMP Bure',
    truth: [
      ['2.1', 'All wing staff will complete behaviour management training.', 'Head of Learning and Development', 'June 2026'],
      ['2.1', 'Managers will sample body-worn video each week.', 'Head of Safety', 'Ongoing'],
      ['2.1', 'A monthly report will go to the safety meeting.', 'Head of Safety', 'July 2026'],
      ['2.2', 'The applications system will be tracked and answered within seven days.', 'Business Hub Manager', 'Complete'],
    ],
    check: (plan) => { expect(plan.recommendations.map((r) => r.agreement)).toEqual(['Agreed', 'Partly Agreed']); },
  },
  {
    file: 'run-together.txt',
    shape: 'tabs lost: each row run together on one line with single spaces',
    establishment: 'HMP Ashfield',
    truth: [
      ['1.1', 'Wing cleaning checklists will be completed daily and checked weekly by the unit manager.', 'Head of Residence', 'March 2026'],
      ['1.2', 'Servery temperatures will be checked at every meal.', 'Catering Manager', 'April 2026'],
      ['1.2', 'The kitchen will be audited weekly.', 'Catering Manager', 'Ongoing'],
      ['1.3', 'A new regime will unlock everyone for at least six hours a day.', 'Deputy Governor', '31/05/2026'],
    ],
    check: (plan) => { expect(plan.recommendations[1]?.concern).toBe('Food at the serveries was often cold.'); },
  },
  {
    file: 'cell-per-line.txt',
    shape: 'tabs lost: each cell on its own line, a continuation row split from its row',
    establishment: 'HMP Dartmoor',
    truth: [
      ['3.1', 'Broken showers will be repaired within five working days.', 'Works Manager', 'May 2026'],
      ['3.1', 'Wing cleaning checklists will include the showers.', 'Head of Residence', 'Complete'],
      ['3.1', 'A weekly check of every shower will be recorded.', 'Head of Residence', 'June 2026'],
      ['3.2', 'Nurse triage will be available on every wing each morning.', 'Head of Healthcare', 'Ongoing'],
    ],
  },
  {
    file: 'laid-out.txt',
    shape: 'tabs lost: columns laid out with spaces, cells wrapped over lines',
    establishment: 'HMP Erlestoke',
    truth: [
      ['4.1', 'The unit will be repainted and its lighting replaced.', 'Governor', 'August 2026'],
      ['4.1', 'A daily Duty Governor round will be recorded.', 'Duty Governor', 'Ongoing'],
      ['4.2', 'Complaint forms will be stocked on every landing.', 'Business Hub Manager', 'Complete'],
    ],
  },
  {
    file: 'thematic.txt',
    shape: 'thematic plan: directed to several bodies, agreement column, no establishment',
    establishment: null,
    truth: [
      ['1', 'A screening tool will be used at reception in every prison.', 'Director of Health and Justice', 'March 2027'],
      ['2', 'Training will be offered to all new officers.', 'Head of Learning and Development', 'December 2026'],
      ['2', 'Existing staff will be trained as resources allow.', 'Prison Group Directors', 'Ongoing'],
      ['3', 'Data cannot be published until the identification tool is in use.', 'Chief Statistician', 'Not applicable'],
    ],
    check: (plan) => {
      expect(plan.recommendations.map((r) => r.directedTo)).toEqual(['HMPPS and NHS England', 'HMPPS', 'Ministry of Justice']);
      expect(plan.recommendations.map((r) => r.agreement)).toEqual(['Agreed', 'Partly Agreed', 'Not Agreed']);
    },
  },
  {
    file: 'letter.txt',
    shape: 'letter: numbered concerns with responses in prose, no table',
    establishment: 'HMP Foston Hall',
    truth: [
      ['1', "From 1 March no woman in crisis will be segregated without the Governor's approval, reviewed daily.", null, null],
      ['2', 'We will audit cell bell response times every week and report them to the safety meeting.', null, null],
      ['3', 'Servery temperatures are now checked at every meal and recorded on the daily servery checklist.', null, null],
    ],
  },
];

describe('the importer on hand-written documents of each shape', () => {
  const scores: string[] = [];
  for (const doc of DOCUMENTS) {
    it(`${doc.file} (${doc.shape})`, () => {
      const plan = parsePlanText(readFileSync(new URL(`documents/${doc.file}`, import.meta.url), 'utf8'), doc.file);
      const truth = doc.truth.map((t) => JSON.stringify(t));
      const concerns = new Set(doc.truth.map(([ref]) => ref)).size;
      const score = f1(tuples(plan), truth);
      scores.push(`| ${doc.file} | ${doc.shape} | ${plan.recommendations.length} of ${concerns} | ${score.toFixed(3)} |`);
      expect(plan.establishment).toBe(doc.establishment);
      expect(plan.recommendations.length).toBe(concerns);
      expect(score).toBe(1);
      doc.check?.(plan);
    });
  }
  it('prints the score table', () => {
    console.log(['| document | shape | concerns | F1 (action, owner, target) |', '| --- | --- | --- | --- |', ...scores].join('\n'));
    expect(scores.length).toBe(DOCUMENTS.length);
  });
});

describe('the importer on layout variants of the published plans', () => {
  const scores: string[] = [];
  for (const name of FIXTURES) {
    const original = read(name);
    const truth = parsePlanText(original, name);
    for (const [variant, make] of Object.entries(VARIANTS)) {
      it(`${name}, ${variant}: the same concerns, actions, owners and targets`, async () => {
        const plan = await make(planTable(original), name);
        const score = f1(tuples(plan), tuples(truth));
        scores.push(`| ${name.replace(/-action-plan\.txt$/, '')} | ${variant} | ${plan.recommendations.length} of ${truth.recommendations.length} | ${score.toFixed(3)} |`);
        expect(plan.recommendations.map((r) => r.ref)).toEqual(truth.recommendations.map((r) => r.ref));
        expect(score).toBeGreaterThanOrEqual(0.98);
      }, 30_000);
    }
  }
  it('prints the score table', () => {
    // Kept in docs/importer.md; printed here so a run shows it.
    console.log(['| plan | variant | concerns | F1 (action, owner, target) |', '| --- | --- | --- | --- |', ...scores].join('\n'));
    expect(scores.length).toBe(FIXTURES.length * Object.keys(VARIANTS).length);
  });
});
