// The two real published plans, read as a person reading them would: counts, refs, categories,
// and a sample of actions checked by hand against the documents.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';

const read = (name: string) => {
  const text = readFileSync(new URL(`../../../fixtures/action-plans/${name}`, import.meta.url), 'utf8');
  return ParsedPlan.parse(parsePlanText(text, name));
};

interface Sample {
  ref: string;
  index: number;
  starts: string;
  owner: string | null;
  target: string | null;
  due?: string | null;
}

function expectSamples(plan: ParsedPlan, samples: Sample[]) {
  for (const s of samples) {
    const action = plan.recommendations.find((r) => r.ref === s.ref)?.actions[s.index];
    expect(action, `${s.ref} action ${s.index}`).toBeDefined();
    expect(action?.text.startsWith(s.starts), `${s.ref}[${s.index}] starts "${s.starts}", got "${action?.text.slice(0, 60) ?? ''}"`).toBe(true);
    expect(action?.owner, `${s.ref}[${s.index}] owner`).toBe(s.owner);
    expect(action?.target, `${s.ref}[${s.index}] target`).toBe(s.target);
    if (s.due !== undefined) expect(action?.due, `${s.ref}[${s.index}] due`).toBe(s.due);
  }
}

describe('HMYOI Werrington 2025 action plan', () => {
  const plan = read('werrington-2025-action-plan.txt');

  it('finds the establishment and 8 concerns: 5 priority, 3 key', () => {
    expect(plan.establishment).toBe('HMYOI Werrington');
    expect(plan.recommendations.map((r) => r.ref)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(plan.recommendations.map((r) => r.category)).toEqual([
      ...Array<string>(5).fill('Priority concern'),
      ...Array<string>(3).fill('Key concern'),
    ]);
    expect(plan.recommendations.map((r) => r.section)).toEqual([...Array<string>(5).fill('Priority concerns'), ...Array<string>(3).fill('Key Concerns')]);
    expect(plan.recommendations.every((r) => r.agreement === null && r.concern !== null)).toBe(true);
  });

  it('reads every action, one per target date, across page breaks', () => {
    expect(plan.recommendations.map((r) => r.actions.length)).toEqual([6, 11, 7, 5, 8, 10, 11, 8]);
    expect(plan.recommendations.flatMap((r) => r.actions)).toHaveLength(66);
  });

  it('joins a concern split by a page break and keeps its text whole', () => {
    const concern2 = plan.recommendations[1]?.concern ?? '';
    expect(concern2).toBe(
      'Children spent far too long locked in their cells. Some, often those who were most vulnerable or fearful, did not come out at all for days at a time.',
    );
  });

  it('reads the sampled actions exactly', () => {
    expectSamples(plan, [
      { ref: '1', index: 0, starts: 'Reviewing and publishing the Incentives Policy (IP) scheme.', owner: 'Governor', target: 'December 2025', due: '2025-12-31' },
      { ref: '1', index: 1, starts: 'The Head of Residence will introduce, as part of handovers', owner: 'Governor', target: 'Complete', due: null },
      { ref: '1', index: 3, starts: 'Producing a series of promotional videos', owner: 'Governor', target: 'September 2025', due: '2025-09-30' },
      { ref: '1', index: 5, starts: 'New Colleague Mentors will upskill', owner: 'Governor', target: 'Complete' },
      { ref: '2', index: 0, starts: 'Reviewing staff profiles and the core day.', owner: 'Governor', target: 'Complete' },
      { ref: '2', index: 1, starts: 'Increasing current staffing levels', owner: 'Governor', target: 'April 2026', due: '2026-04-30' },
      { ref: '2', index: 6, starts: "Implementing the national YCS Conflict Resolution (CR) policy to reduce the amount of 'keep apart' by: 1. Reviewing", owner: 'Governor', target: 'Complete' },
      { ref: '2', index: 7, starts: 'Improving the timetabling and scheduling of activities', owner: 'Governor', target: 'December 2025' },
      { ref: '2', index: 9, starts: 'Reviewing data capture and recording processes', owner: 'Governor', target: 'September 2025' },
      { ref: '3', index: 1, starts: 'Increasing staff training and delivery of SECURE STAIRS', owner: 'Governor / Education Provider / NHSE', target: 'December 2025' },
      { ref: '3', index: 2, starts: "Introducing bi-monthly 'Welfare Checks' for all children.", owner: 'Governor / Education Provider / NHSE', target: 'Complete' },
      { ref: '3', index: 4, starts: 'Utilising forums, student councils and surveys', owner: 'Governor / Education Provider / NHSE', target: 'October 2025' },
      { ref: '4', index: 1, starts: 'Moving to and implementing a Parallel Curriculum Model (PCM)', owner: 'Governor / Education Provider', target: 'April 2026' },
      { ref: '4', index: 3, starts: 'Evaluating and enhancing learning spaces', owner: 'Governor / Education Provider', target: 'December 2025' },
      { ref: '5', index: 1, starts: 'Psychology will complete a training needs analysis', owner: 'Governor / Education Provider', target: 'April 2026' },
      { ref: '5', index: 3, starts: 'Providing scenario-based training to education staff', owner: 'Governor / Education Provider', target: 'October 2025' },
      { ref: '6', index: 0, starts: 'Implementing the PCM that will allow for a whole prison approach', owner: 'Governor / Education Provider / YCS CMT', target: 'April 2026' },
      { ref: '7', index: 5, starts: 'Reviewing the location of the library', owner: 'Governor / Education Provider', target: 'October 2025' },
      { ref: '7', index: 9, starts: 'Implementing and embedding Story Book Dads', owner: 'Governor / Education Provider', target: 'September 2025' },
      { ref: '8', index: 0, starts: 'Conducting a resettlement needs analysis', owner: 'Governor / NHSE', target: 'January 2026', due: '2026-01-31' },
      { ref: '8', index: 1, starts: 'Reviewing and publishing a refreshed Resettlement Strategy', owner: 'Governor / NHSE', target: 'February 2026', due: '2026-02-28' },
      { ref: '8', index: 4, starts: 'Improving attendance at the monthly Interdepartmental Risk Management', owner: 'Governor / NHSE', target: 'September 2025' },
    ]);
  });

  it('warns where the plan itself does not line up (8 bullets, 7 dates, all "Complete")', () => {
    expect(plan.warnings).toEqual(['6: row 58 has 7 target dates but 8 actions could be told apart']);
    expect(plan.recommendations[5]?.actions.slice(2).every((a) => a.target === 'Complete' && a.complete)).toBe(true);
  });
});

describe('HMYOI Werrington 2020 action plan', () => {
  const plan = read('werrington-2020-action-plan.txt');

  it('finds 20 recommendations, 18 Agreed and 2 Partly Agreed, as its own summary table says', () => {
    expect(plan.establishment).toBe('HMYOI Werrington');
    expect(plan.recommendations.map((r) => r.ref)).toEqual(Array.from({ length: 20 }, (_, i) => `5.${i + 1}`));
    expect(plan.recommendations.filter((r) => r.agreement === 'Agreed')).toHaveLength(18);
    expect(plan.recommendations.filter((r) => r.agreement === 'Partly Agreed').map((r) => r.ref)).toEqual(['5.5', '5.14']);
    expect(plan.warnings.some((w) => w.includes('summary'))).toBe(false);
  });

  it('tells key concerns from general recommendations, and keeps the recommendation text of each', () => {
    expect(plan.recommendations.map((r) => r.category)).toEqual([
      ...Array<string>(9).fill('Key concern'),
      ...Array<string>(11).fill('Recommendation'),
    ]);
    expect(plan.recommendations[0]?.concern).toMatch(/^Key concern \(S41\): Children had poor perceptions of behaviour/);
    expect(plan.recommendations[1]?.recommendation).toMatch(/^Recommendation: A strategy should be implemented/);
    expect(plan.recommendations[9]?.concern).toBeNull();
    expect(plan.recommendations[9]?.recommendation).toMatch(/^Recommendation 1\.18: Child protection allegations/);
    expect(plan.recommendations[9]?.directedTo).toBe('the Governor');
  });

  it('reads every action', () => {
    const counts = [3, 2, 2, 2, 5, 4, 1, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3];
    expect(plan.recommendations.map((r) => r.actions.length)).toEqual(counts);
  });

  it('reads the sampled actions exactly', () => {
    expectSamples(plan, [
      { ref: '5.1', index: 0, starts: 'A new incentive based policy has been developed', owner: 'Governor', target: 'Completed', due: null },
      { ref: '5.1', index: 1, starts: 'A multi-disciplinary working group will be established', owner: 'Governor', target: 'November 2020', due: '2020-11-30' },
      { ref: '5.3', index: 1, starts: 'The remaining staff members who have not been trained', owner: 'Governor', target: 'July 2020', due: '2020-07-31' },
      { ref: '5.4', index: 1, starts: 'BWVC and Child Protection training will be delivered', owner: 'Governor', target: 'June 2020' },
      { ref: '5.5', index: 0, starts: 'Midlands Partnership Foundation Trust will continue', owner: 'Director Midlands Partnership Foundation Trust', target: 'Completed' },
      { ref: '5.5', index: 2, starts: 'The Governor will work with the Head of Youth Custody Service (YCS) Wales', owner: 'Governor', target: 'December 2020' },
      { ref: '5.5', index: 3, starts: 'NHSE resources and priorities', owner: 'NHSE and NHS Improvement', target: 'December 2020 and ongoing', due: '2020-12-31' },
      { ref: '5.5', index: 4, starts: 'Within Wales, Welsh Government continues', owner: 'NHS Wales', target: 'December 2020 and ongoing' },
      { ref: '5.7', index: 0, starts: 'HMPPS YCS are working directly with HMYOI Werrington', owner: 'Executive Director, Youth Custody Service', target: 'Spring 2021', due: null },
      { ref: '5.8', index: 1, starts: 'Custody Support Planning (CuSP) officers will attend', owner: 'Governor', target: 'September 2020' },
      { ref: '5.10', index: 0, starts: 'All Duty Governors are now fully aware', owner: 'Governor', target: 'Completed' },
      { ref: '5.14', index: 0, starts: 'This recommendation is partly agreed on the basis', owner: 'Prison Group Director, CEO Care UK and NHSE and NHS Improvement', target: 'December 2020' },
      { ref: '5.16', index: 0, starts: 'The RRR working group will be responsible', owner: 'Governor', target: 'June 2020', due: '2020-06-30' },
      { ref: '5.17', index: 0, starts: 'English and mathematics teachers will conduct quarterly diagnostics', owner: 'Governor', target: 'September 2020' },
      { ref: '5.20', index: 2, starts: 'Lifer day will be held in October 2020', owner: 'Governor', target: 'October 2020', due: '2020-10-31' },
    ]);
  });

  it('warns, rather than guesses, where several dates stand beside one paragraph', () => {
    expect(plan.warnings).toEqual([
      '5.12: row 64 has 2 target dates but 1 action could be told apart',
      '5.13: row 65 has 3 target dates but 1 action could be told apart; targets left blank to fill in',
      '5.17: row 73 has 2 target dates but 1 action could be told apart',
      '5.18: row 74 has 2 target dates but 1 action could be told apart',
      '5.19: row 75 has 3 target dates but 1 action could be told apart',
    ]);
    const mixed = plan.recommendations.find((r) => r.ref === '5.13')?.actions[0];
    expect(mixed).toMatchObject({ owner: 'Governor', target: null, due: null });
  });
});
