// Whatever it is given, the importer answers with a valid plan or a PlanParseError: never
// anything else thrown, never an invalid result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import { ParsedPlan, PlanParseError } from '../../../src/shared/plan-import/schema.ts';

function outcome(text: string): 'plan' | 'refused' {
  try {
    ParsedPlan.parse(parsePlanText(text, 'fuzz.txt'));
    return 'plan';
  } catch (error) {
    if (error instanceof PlanParseError) return 'refused';
    throw error;
  }
}

const fragment = fc.oneof(
  fc.string(),
  fc.constantFrom('<p>', '</p>', '<ul style="x">', '</ul>', '<ol>', '•', '<sup>th</sup>', '&amp;', '&#x41;', '&bogus;', '1.', 'Complete', 'April 2026', '31/02/2026', 'Governor', 'by:', '---'),
);
const cell = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(' '));
const header = fc.constantFrom(
  '1. Rec No\t2. Concerns\t3. Response Action Taken/Planned\t4. Responsible Owner\t5. Target Date',
  'Rec No\tRecommendation\tAgreed/ Partly Agreed/ Not Agreed\tResponse\tOwner\tTarget Date',
);
const ref = fc.oneof(fc.constant(''), fc.constantFrom('1', '1.7', '5.10', '2.', 'x'), fc.string({ maxLength: 4 }));
const row = fc.tuple(ref, fc.array(cell, { minLength: 0, maxLength: 6 })).map(([r, cells]) => [r, ...cells].join('\t'));
const table = fc.tuple(fc.array(fc.string(), { maxLength: 3 }), header, fc.array(row, { maxLength: 12 })).map(([pre, h, rows]) => [...pre, h, ...rows].join('\n'));

describe('plan import under arbitrary input', () => {
  it('never throws anything but a PlanParseError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (text) => ['plan', 'refused'].includes(outcome(text))), { numRuns: 500 });
  });

  it('never throws anything but a PlanParseError on table-shaped input, and keeps every action non-empty', () => {
    fc.assert(
      fc.property(table, (text) => {
        const result = outcome(text);
        if (result === 'plan') {
          const plan = parsePlanText(text, 'fuzz.txt');
          expect(plan.recommendations.every((r) => r.actions.every((a) => a.text.length > 0))).toBe(true);
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps to that when the tabs are lost: run together, laid out, or one cell per line', () => {
    const flattened = fc.tuple(table, fc.constantFrom(' ', '  ', '\n', '   ', 'drop')).map(([text, sep]) =>
      (sep === 'drop' ? text.split('\n').map((line) => line.split('\t').filter((c) => c.trim()).join('\n')).join('\n') : text.replace(/\t/g, sep)));
    fc.assert(
      fc.property(flattened, (text) => {
        if (outcome(text) === 'plan') {
          const plan = parsePlanText(text, 'fuzz.txt');
          expect(plan.recommendations.every((r) => r.actions.every((a) => a.text.length > 0))).toBe(true);
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
