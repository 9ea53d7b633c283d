import { describe, expect, it } from 'vitest';
import { ownerTitles, suggestAssignee, type Assignable } from '../../../src/shared/plan-import/assign.ts';

const people: Assignable[] = [
  { id: 'gov', displayName: 'Alex', jobTitle: 'Governor' },
  { id: 'hor', displayName: 'Harper', jobTitle: 'Head of Residence' },
  { id: 'so1', displayName: 'Sam', jobTitle: 'Supervising Officer' },
  { id: 'so2', displayName: 'Sky', jobTitle: 'supervising officer' },
  { id: 'new', displayName: 'Nobody yet', jobTitle: null },
];

describe('assignment suggestions', () => {
  it('splits owner cells that name several titles', () => {
    expect(ownerTitles('Governor/ Education Provider/ NHSE')).toEqual(['governor', 'education provider', 'nhse']);
    expect(ownerTitles('Head of Residence and Catering Manager')).toEqual(['head of residence', 'catering manager']);
    expect(ownerTitles('The Governor, Head of Safety')).toEqual(['governor', 'head of safety']);
  });

  it('suggests the one person holding the title, ignoring case, "the" and punctuation', () => {
    expect(suggestAssignee('Head of Residence', people)).toEqual({ userId: 'hor', reason: 'job-title', candidates: ['hor'] });
    expect(suggestAssignee('the GOVERNOR', people)).toMatchObject({ userId: 'gov' });
  });

  it('takes the first title anyone holds in a shared owner cell', () => {
    expect(suggestAssignee('Education Provider / Governor', people)).toMatchObject({ userId: 'gov', reason: 'job-title' });
  });

  it('leaves the choice to the admin when several people hold the title, or nobody does', () => {
    expect(suggestAssignee('Supervising Officer', people)).toEqual({ userId: null, reason: 'ambiguous', candidates: ['so1', 'so2'] });
    expect(suggestAssignee('Head of Healthcare', people)).toEqual({ userId: null, reason: 'no-match', candidates: [] });
    expect(suggestAssignee('Head of', people)).toMatchObject({ userId: null, reason: 'no-match' });
    expect(suggestAssignee(null, people)).toEqual({ userId: null, reason: 'no-owner', candidates: [] });
  });
});
