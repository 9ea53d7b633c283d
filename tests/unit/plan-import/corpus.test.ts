// The importer against layout variants of the published plans, scored against what it reads from
// the originals (which fixtures.test.ts checks by hand): a guard against rules tuned to two files.
// Each variant is what a real conversion does to a plan: the header lost, repeated on every page,
// its columns in another order or under other words.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';

const FIXTURES = ['werrington-2020-action-plan.txt', 'werrington-2025-action-plan.txt'];
const read = (name: string) => readFileSync(new URL(`../../../fixtures/action-plans/${name}`, import.meta.url), 'utf8');

interface Table {
  lines: string[][];
  header: number;
  width: number;
}

function table(text: string): Table {
  const lines = text.split(/\r?\n/).map((line) => line.split('\t'));
  const header = lines.findIndex((cells) => /rec no/i.test(cells[0] ?? ''));
  if (header < 0) throw new Error('fixture without its header row');
  return { lines, header, width: lines[header]?.length ?? 0 };
}
const join = (lines: string[][]) => lines.map((cells) => cells.join('\t')).join('\n');

/** The table's rows (not the preamble or the summary after it) with `change` applied to each. */
function eachTableRow({ lines, width }: Table, change: (cells: string[]) => string[]): string[][] {
  return lines.map((cells) => (cells.length === width ? change(cells) : cells));
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

const VARIANTS: Record<string, (t: Table) => string> = {
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
    return join(eachTableRow({ ...t, lines: t.lines.filter((_, i) => i !== t.header) }, (cells) => order.map((i) => cells[i] ?? '')));
  },
};

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

describe('the importer on layout variants of the published plans', () => {
  const scores: string[] = [];
  for (const name of FIXTURES) {
    const original = read(name);
    const truth = parsePlanText(original, name);
    for (const [variant, make] of Object.entries(VARIANTS)) {
      it(`${name}, ${variant}: the same concerns, actions, owners and targets`, () => {
        const plan = parsePlanText(make(table(original)), name);
        const score = f1(tuples(plan), tuples(truth));
        scores.push(`| ${name} | ${variant} | ${plan.recommendations.length} of ${truth.recommendations.length} | ${score.toFixed(3)} |`);
        expect(plan.recommendations.map((r) => r.ref)).toEqual(truth.recommendations.map((r) => r.ref));
        expect(score).toBeGreaterThanOrEqual(0.98);
        const concerns = (p: ParsedPlan) => p.recommendations.map((r) => [r.concern, r.agreement]);
        expect(concerns(plan)).toEqual(concerns(truth));
      });
    }
  }
  it('prints the score table', () => {
    // Kept in docs/importer.md; printed here so a run shows it.
    console.log(['| plan | variant | concerns | F1 (action, owner, target) |', '| --- | --- | --- | --- |', ...scores].join('\n'));
    expect(scores.length).toBe(FIXTURES.length * Object.keys(VARIANTS).length);
  });
});
