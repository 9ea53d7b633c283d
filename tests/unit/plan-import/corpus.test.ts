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
export function f1(found: Tuple[], truth: Tuple[]): number {
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
};

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
