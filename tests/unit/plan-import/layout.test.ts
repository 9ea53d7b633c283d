// Each layout rule of published plans, on small hand-made tables.
import { describe, expect, it } from 'vitest';
import { blocks, plainText, sentences } from '../../../src/shared/plan-import/html.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import { PlanParseError } from '../../../src/shared/plan-import/schema.ts';
import { readTarget, splitOwners, splitTargets } from '../../../src/shared/plan-import/targets.ts';

const HEADER = '1. Rec No\t2. Concerns\t3. Response Action Taken/Planned\t4. Responsible Owner\t5. Target Date';
const plan = (...rows: string[]) => parsePlanText(['Action Plan: HMP Whitemoor', '', HEADER, ...rows].join('\n'), 'test.txt');
const row = (...cells: string[]) => cells.join('\t');

describe('targets', () => {
  it.each([
    ['April 2023', '2023-04-30', false],
    ['February 2024', '2024-02-29', false],
    ['31/03/2026', '2026-03-31', false],
    ['6th April 2023', '2023-04-06', false],
    ['By end of Sept 2025', '2025-09-30', false],
    ['December 2020 and ongoing', '2020-12-31', false],
    ['Complete', null, true],
    ['Completed', null, true],
    ['Ongoing', null, false],
    ['Quarterly', null, false],
    ['Spring 2021', null, false],
    ['31/02/2026', null, false],
  ])('%s -> due %s, complete %s', (target, due, complete) => {
    expect(readTarget(target)).toEqual({ due, complete });
  });

  it('reads <sup> ordinals and entities', () => {
    expect(readTarget(plainText('6<sup>th</sup> April 2023'))).toEqual({ due: '2023-04-06', complete: false });
    expect(plainText('Governor &amp; Head of Residence&nbsp;')).toBe('Governor & Head of Residence');
  });

  it('splits one target per <p>, or targets run together with spaces', () => {
    expect(splitTargets('<p>April 2026</p> <p>Complete</p>')).toEqual(['April 2026', 'Complete']);
    expect(splitTargets('September 2020 September 2020 Completed')).toEqual(['September 2020', 'September 2020', 'Completed']);
    expect(splitTargets('December 2020 and ongoing')).toEqual(['December 2020 and ongoing']);
    expect(splitTargets('')).toEqual([]);
  });

  it('splits owners per <p> or a repeated title, and keeps a shared owner cell whole', () => {
    expect(splitOwners('<p>Governor</p> <p>Head of Residence</p>')).toEqual(['Governor', 'Head of Residence']);
    expect(splitOwners('Governor Governor Governor')).toEqual(['Governor', 'Governor', 'Governor']);
    expect(splitOwners('Head of Residence Head of Residence')).toEqual(['Head of Residence', 'Head of Residence']);
    expect(splitOwners('Governor/ Education Provider/ NHSE')).toEqual(['Governor / Education Provider / NHSE']);
    expect(splitOwners('  ')).toEqual([]);
  });
});

describe('action cells', () => {
  it('reads paragraphs, bullets and unmarked lists as blocks, keeping a nested numbered list inside', () => {
    const cell = '<p>We will do this by:</p> <ul style="list-style-type: none"> • First thing. • Second thing <ol> 1. part one. 2. part two.</ul>';
    expect(blocks(cell).map((b) => [b.text, b.item])).toEqual([
      ['We will do this by:', false],
      ['First thing.', true],
      ['Second thing 1. part one. 2. part two.', true],
    ]);
  });

  it('splits sentences, but not after a list number or before "(See concern 3)"', () => {
    expect(sentences('Reviewing A. Improving B by: 1. One. 2. Two. Introducing C. (See concern 3). Doing D.')).toEqual([
      'Reviewing A.',
      'Improving B by: 1. One. 2. Two.',
      'Introducing C. (See concern 3).',
      'Doing D.',
    ]);
  });
});

describe('plan layout', () => {
  it('takes the category from section rows', () => {
    const result = plan(row('', 'Priority concerns', '', '', ''), row('1', 'A concern.', 'Do it.', 'Governor', 'April 2026'), row('', 'Key concerns', '', '', ''), row('2', 'Another.', 'Do that.', 'Governor', 'May 2026'));
    expect(result.recommendations.map((r) => [r.ref, r.section, r.category])).toEqual([
      ['1', 'Priority concerns', 'Priority concern'],
      ['2', 'Key concerns', 'Key concern'],
    ]);
    expect(result.establishment).toBe('HMP Whitemoor');
  });

  it('lines owners and dates up with actions, one per <p>', () => {
    const result = plan(row('1.7', 'Food was poor.', '<p>Daily servery checks.</p> <p>Weekly kitchen checks.</p>', '<p>Head of Residence</p> <p>Catering Manager</p>', '<p>April 2023</p> <p>Ongoing</p>'));
    expect(result.recommendations[0]?.actions).toEqual([
      { text: 'Daily servery checks.', owner: 'Head of Residence', target: 'April 2023', due: '2023-04-30', complete: false, read: 'cell' },
      { text: 'Weekly kitchen checks.', owner: 'Catering Manager', target: 'Ongoing', due: null, complete: false, read: 'cell' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('leaves out an introduction ending in ":" when the bullets match the dates', () => {
    const result = plan(row('1', 'C.', '<p>We will improve by:</p> <ul> • Doing A. • Doing B.', 'Governor', '<p>Complete</p> <p>June 2026</p>'));
    expect(result.recommendations[0]?.actions.map((a) => [a.text, a.owner, a.target])).toEqual([
      ['Doing A.', 'Governor', 'Complete'],
      ['Doing B.', 'Governor', 'June 2026'],
    ]);
  });

  it('joins a continuation row that starts mid-sentence to the action before it', () => {
    const result = plan(
      row('1', 'Staff did', '<p>Reviewing the policy and</p>', 'Governor', 'April 2026'),
      row('', 'not engage.', '<p>consulting children.</p> <ul> • Training staff.', '', 'May 2026'),
    );
    const [rec] = result.recommendations;
    expect(rec?.concern).toBe('Staff did not engage.');
    expect(rec?.actions.map((a) => [a.text, a.owner, a.target])).toEqual([
      ['Reviewing the policy and consulting children.', 'Governor', 'April 2026'],
      ['Training staff.', 'Governor', 'May 2026'],
    ]);
  });

  it('gives dates on rows of their own to the actions above them', () => {
    const result = plan(row('6', 'C.', '<ul> • A. • B. • C.', 'Governor', 'Complete'), row('', '', '', '', 'Complete'), row('', '', '', '', 'June 2026'));
    expect(result.recommendations[0]?.actions.map((a) => a.target)).toEqual(['Complete', 'Complete', 'June 2026']);
  });

  it('warns when owners do not line up, and leaves them blank rather than guess', () => {
    const result = plan(row('2', 'C.', '<p>A.</p> <p>B.</p> <p>C.</p>', '<p>Governor</p> <p>Head of Safety</p>', '<p>May 2026</p> <p>June 2026</p> <p>July 2026</p>'));
    expect(result.recommendations[0]?.actions.map((a) => a.owner)).toEqual([null, null, null]);
    expect(result.recommendations[0]?.actions.map((a) => a.target)).toEqual(['May 2026', 'June 2026', 'July 2026']);
    expect(result.warnings).toEqual(['2: row 4 names 2 owners for 3 actions; owners left blank to fill in']);
    // The preview gets each warning with the concern it is about, not to be split from the text again.
    expect(result.warningDetails).toEqual([{ ref: '2', message: 'row 4 names 2 owners for 3 actions; owners left blank to fill in' }]);
  });

  it('warns when dates do not line up, keeping the dates only if they are all the same', () => {
    const mixed = plan(row('3', 'C.', 'One long paragraph. With two sentences.', 'Governor', '<p>May 2026</p> <p>June 2026</p>'));
    expect(mixed.recommendations[0]?.actions).toEqual([
      { text: 'One long paragraph. With two sentences.', owner: 'Governor', target: null, due: null, complete: false, read: 'guessed' },
    ]);
    expect(mixed.warnings).toEqual(['3: row 4 has 2 target dates but 1 action could be told apart; targets left blank to fill in']);
    const same = plan(row('3', 'C.', 'One paragraph.', 'Governor Governor', 'Completed Completed'));
    expect(same.recommendations[0]?.actions[0]).toMatchObject({ owner: 'Governor', target: 'Completed', complete: true });
  });

  it('reads the agreement column and checks the plan summary table', () => {
    const text = [
      'Rec No\tRecommendation\tAgreed/ Partly Agreed/ Not Agreed\tResponse Action\tResponsible Owner\tTarget Date',
      row('1.1', 'Recommendation 1.1: Do X.', 'Agreed', 'We will.', 'Governor', 'June 2026'),
      row('1.2', 'Recommendation 1.2: Do Y.', 'Not Agreed', 'We will not.', 'Governor', 'N/A'),
      '',
      'Agreed\t2',
      'Not Agreed\t1',
    ].join('\n');
    const result = parsePlanText(text, 'recs.txt');
    expect(result.recommendations.map((r) => [r.agreement, r.category, r.recommendation])).toEqual([
      ['Agreed', 'Recommendation', 'Recommendation 1.1: Do X.'],
      ['Not Agreed', 'Recommendation', 'Recommendation 1.2: Do Y.'],
    ]);
    expect(result.warnings).toContain("The plan's summary says 2 Agreed but 1 were read");
  });

  it('skips page-break separator rows', () => {
    const result = plan(row('1', 'C.', 'A.', 'Governor', 'June 2026'), row('---', '--', '--', '----', '--'), row('2', 'D.', 'B.', 'Governor', 'July 2026'));
    expect(result.recommendations.map((r) => r.ref)).toEqual(['1', '2']);
  });

  it('reads a header in other words and another order, and skips it where it is repeated on a later page', () => {
    const text = [
      'Action Plan: HMP Brinsford',
      'No.\tFinding\tLead\tAction\tDeadline\tAccepted/Rejected',
      row('1', 'Cells were dirty.', 'Head of Residence', 'Weekly cell checks.', 'March 2026', 'Agreed'),
      'No.\tFinding\tLead\tAction\tDeadline\tAccepted/Rejected',
      row('2', 'Food was cold.', 'Catering Manager', 'Heated trolleys.', 'April 2026', 'Partly agreed'),
    ].join('\n');
    const result = parsePlanText(text, 'brinsford.txt');
    expect(result.establishment).toBe('HMP Brinsford');
    const read = result.recommendations.map((r) => [
      r.ref, r.concern, r.agreement, r.actions.map((a) => [a.text, a.owner, a.target]),
    ]);
    expect(read).toEqual([
      ['1', 'Cells were dirty.', 'Agreed', [['Weekly cell checks.', 'Head of Residence', 'March 2026']]],
      ['2', 'Food was cold.', 'Partly Agreed', [['Heated trolleys.', 'Catering Manager', 'April 2026']]],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('reads a table with no header by what its columns hold, and says so', () => {
    const text = [
      'Action Plan: HMP Hindley',
      '',
      row('', 'Key concerns', '', '', ''),
      row('1.1', 'Staff did not challenge poor behaviour and children were rarely rewarded.', 'We will train every officer in the new scheme.', 'Head of Safety', '31/03/2026'),
      row('', '', 'Rewards will be reviewed monthly at the safety meeting.', 'Deputy Governor', 'Ongoing'),
      row('1.2', 'Too many children were locked up during the core day.', 'We will publish a new regime with more time out of cell.', 'Governor', 'June 2026'),
    ].join('\n');
    const result = parsePlanText(text, 'hindley.txt');
    expect(result.establishment).toBe('HMP Hindley');
    expect(result.recommendations.map((r) => [r.ref, r.section, r.concern, r.actions.map((a) => [a.owner, a.target])])).toEqual([
      ['1.1', 'Key concerns', 'Staff did not challenge poor behaviour and children were rarely rewarded.', [
        ['Head of Safety', '31/03/2026'],
        ['Deputy Governor', 'Ongoing'],
      ]],
      ['1.2', 'Key concerns', 'Too many children were locked up during the core day.', [['Governor', 'June 2026']]],
    ]);
    expect(result.warnings).toEqual([
      'No header row was found, so the columns were read from what they hold: reference in column 1, concern in column 2, '
      + 'actions in column 3, owner in column 4, target date in column 5. Check them in the preview.',
    ]);
  });

  it('reads a letter of numbered concerns and responses: one action each, owners and targets to fill in', () => {
    const letter = [
      'HMP Hindley',
      'Dear Chief Inspector,',
      'Thank you for your report. Our responses to the concerns follow.',
      '1. Staff did not challenge poor behaviour.',
      'Response: We will train every officer in the new scheme by March 2026.',
      'The training is recorded on the learning system.',
      '2) Too many children were locked up during the core day.',
      'We have published a new regime with more time out of cell.',
      'Concern 3: Food was cold at the servery.',
      '',
      'Yours sincerely,',
    ].join('\n');
    const result = parsePlanText(letter, 'letter.txt');
    expect(result.establishment).toBe('HMP Hindley');
    expect(result.recommendations.map((r) => [r.ref, r.concern, r.actions.map((a) => [a.text, a.owner, a.target])])).toEqual([
      ['1', 'Staff did not challenge poor behaviour.', [['We will train every officer in the new scheme by March 2026. The training is recorded on the learning system.', null, null]]],
      ['2', 'Too many children were locked up during the core day.', [['We have published a new regime with more time out of cell.', null, null]]],
      ['3', 'Food was cold at the servery.', []],
    ]);
    expect(result.warnings[0]).toMatch(/^No action table was found: read as a letter, 3 numbered concerns/);
    expect(result.warnings).toContain('3: no response follows it; add its actions in the preview');
  });

  it('refuses a file with no action table, in one line', () => {
    expect(() => parsePlanText('Dear Governor,\nThank you for the report.', 'letter.txt')).toThrow(PlanParseError);
    expect(() => parsePlanText('Dear Governor,\nThank you for the report.', 'letter.txt')).toThrow(/^letter\.txt: no action table found/);
    expect(() => parsePlanText(HEADER, 'empty.txt')).toThrow(/no numbered concerns/);
  });
});

describe('how each action was read, for the preview', () => {
  it('marks actions from the cells, rebuilt from the layout, or to check', () => {
    const header = '1. Rec No\t2. Concerns\t3. Response Action Taken/Planned\t4. Responsible Owner\t5. Target Date';
    const text = [
      header,
      '1\tA.\t<p>Checks.</p> <p>Audits.</p>\t<p>Governor</p> <p>Governor</p>\t<p>May 2026</p> <p>June 2026</p>',
      '2\tB.\t<p>Reviewing the policy. Training the staff.</p>\tGovernor\t<p>May 2026</p> <p>June 2026</p>',
      '3\tC.\tOne paragraph. Two sentences.\tGovernor\t<p>May 2026</p> <p>June 2026</p>',
    ].join('\n');
    const reads = (t: string) => parsePlanText(t, 'x.txt').recommendations.map((r) => r.actions.map((a) => a.read));
    expect(reads(text)).toEqual([['cell', 'cell'], ['recovered', 'recovered'], ['guessed']]);
    // The same rows with no header: columns named from what they hold are to check, at best recovered.
    expect(reads(text.split('\n').slice(1).join('\n'))).toEqual([['recovered', 'recovered'], ['recovered', 'recovered'], ['guessed']]);
  });
});
