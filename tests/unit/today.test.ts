import { describe, expect, it } from 'vitest';
import type { Schedule, TemplateVersionRecord } from '../../src/shared/api/capture.ts';
import { BUILTIN_TEMPLATES } from '../../src/shared/templates/builtin.ts';
import { actionsProvedBy, dueChecksFor, dueItemState, dueState, isOverdue, latestVersions, type CheckOnDevice, type DueCheck } from '../../src/shared/today.ts';

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const C = '00000000-0000-7000-8000-00000000000c';

function schedule(overrides: Partial<Schedule>): Schedule {
  return {
    id: '00000000-0000-7000-8000-000000000001',
    templateId: '00000000-0000-7000-8000-0000000000f1',
    frequency: { every: 'day' },
    performedBy: 'unit-manager',
    unitIds: [A, B, C],
    actionIds: [],
    startsOn: '2026-01-01',
    archived: false,
    ...overrides,
  };
}

const live = new Set([A, B, C]);

describe('what is due from a person today', () => {
  it('lists a daily check on each of a unit manager’s own units only', () => {
    const due = dueChecksFor({ roles: ['unit-manager'], unitIds: [A, B] }, [schedule({})], live, '2026-11-23');
    expect(due.map((d) => d.unitId)).toEqual([A, B]);
  });

  it('lists every unit for someone who looks after none in particular', () => {
    expect(dueChecksFor({ roles: ['unit-manager'], unitIds: [] }, [schedule({})], live, '2026-11-23')).toHaveLength(3);
  });

  it('gives a duty governor’s round to duty governors only: a head of residence may run it, but it is not theirs to do', () => {
    const round = schedule({ performedBy: 'duty-governor' });
    expect(dueChecksFor({ roles: ['duty-governor'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(3);
    expect(dueChecksFor({ roles: ['head-of-residence'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(0);
    expect(dueChecksFor({ roles: ['unit-manager'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(0);
    expect(dueChecksFor({ roles: ['head-of-residence', 'duty-governor'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(3);
  });

  it('skips a weekly check on other days, archived schedules and units, and days before the schedule starts', () => {
    const mondays = schedule({ frequency: { every: 'week', weekday: 1 } });
    const person = { roles: ['unit-manager' as const], unitIds: [] };
    expect(dueChecksFor(person, [mondays], live, '2026-11-23')).toHaveLength(3); // a Monday
    expect(dueChecksFor(person, [mondays], live, '2026-11-24')).toHaveLength(0);
    expect(dueChecksFor(person, [schedule({ archived: true })], live, '2026-11-23')).toHaveLength(0);
    expect(dueChecksFor(person, [schedule({})], new Set([A]), '2026-11-23').map((d) => d.unitId)).toEqual([A]);
    expect(dueChecksFor(person, [schedule({ startsOn: '2026-11-24' })], live, '2026-11-23')).toHaveLength(0);
  });
});

describe('template versions and states', () => {
  const record = (templateId: string, version: number, archived = false): TemplateVersionRecord => ({
    id: `${templateId.slice(0, -1)}${version}`,
    templateId,
    builtin: true,
    archived,
    createdAt: '2026-01-01T00:00:00Z',
    definition: { ...(BUILTIN_TEMPLATES[0] ?? { key: 'x', title: 'x', description: '', sections: [] }), version },
  });

  it('starts new checks with the newest version of each template still in use', () => {
    const latest = latestVersions([record(A, 1), record(A, 3), record(A, 2), record(B, 1, true)]);
    expect(latest.get(A)?.definition.version).toBe(3);
    expect(latest.has(B)).toBe(false);
  });

  it('is done once submitted, in progress with only a draft, else not started', () => {
    expect(dueState([])).toBe('not-started');
    expect(dueState([{ status: 'draft' }])).toBe('in-progress');
    expect(dueState([{ status: 'draft' }, { status: 'submitted' }])).toBe('done');
  });

  it('calls an action overdue only after its due date and while not complete', () => {
    expect(isOverdue({ due: '2026-11-22', status: 'not-started' }, '2026-11-23')).toBe(true);
    expect(isOverdue({ due: '2026-11-23', status: 'not-started' }, '2026-11-23')).toBe(false);
    expect(isOverdue({ due: '2026-11-22', status: 'complete' }, '2026-11-23')).toBe(false);
    expect(isOverdue({ due: null, status: 'not-started' }, '2026-11-23')).toBe(false);
  });
});

describe('whether something due today was done', () => {
  const SCHEDULE = '00000000-0000-7000-8000-000000000001';
  const TEMPLATE = '00000000-0000-7000-8000-0000000000f1';
  const V1 = '00000000-0000-7000-8000-0000000000e1';
  const OTHER_V = '00000000-0000-7000-8000-0000000000e2';
  const templateOf = new Map([[V1, TEMPLATE], [OTHER_V, '00000000-0000-7000-8000-0000000000f2']]);
  const item: DueCheck = { scheduleId: SCHEDULE, templateId: TEMPLATE, unitId: A, date: '2026-11-23', frequency: { every: 'day' }, actionIds: [] };
  const check = (overrides: Partial<CheckOnDevice>): CheckOnDevice => ({
    id: 'c1', status: 'submitted', authorId: 'me', templateVersionId: V1, scheduleId: null, dueOn: null, unitId: A, startedAt: '2026-11-23T10:00:00Z', ...overrides,
  });
  const stateOf = (checks: CheckOnDevice[]) => dueItemState(item, checks, templateOf, 'me', 'Europe/London');

  it('counts a check started from the schedule, and one run another way on the same unit and day, by anyone', () => {
    expect(stateOf([check({ scheduleId: SCHEDULE, dueOn: '2026-11-23' })])).toEqual({ state: 'done', submittedId: 'c1', draftId: null });
    expect(stateOf([check({ authorId: 'someone else' })]).state).toBe('done');
  });

  it('does not count another template, another unit, another day (in the establishment’s time zone) or someone else’s draft', () => {
    expect(stateOf([check({ templateVersionId: OTHER_V })]).state).toBe('not-started');
    expect(stateOf([check({ unitId: B })]).state).toBe('not-started');
    // 23:30 on the 22nd in London is still the 22nd; 23:30 UTC in summer would be the next day.
    expect(stateOf([check({ startedAt: '2026-11-22T23:30:00Z' })]).state).toBe('not-started');
    expect(stateOf([check({ status: 'draft', authorId: 'someone else' })]).state).toBe('not-started');
  });

  it('counts a weekly check done earlier in its week, not one of the week before', () => {
    // Due on Friday 27 November; the week runs Monday 23 to Sunday 29.
    const friday: DueCheck = { ...item, date: '2026-11-27', frequency: { every: 'week', weekday: 5 } };
    const weekly = (startedAt: string) => dueItemState(friday, [check({ startedAt })], templateOf, 'me', 'Europe/London').state;
    expect(weekly('2026-11-25T10:00:00Z')).toBe('done');
    expect(weekly('2026-11-20T10:00:00Z')).toBe('not-started');
  });

  it('is in progress with the person’s own draft, and done once any is submitted', () => {
    expect(stateOf([check({ id: 'd1', status: 'draft' })])).toEqual({ state: 'in-progress', submittedId: null, draftId: 'd1' });
    expect(stateOf([check({ id: 'd1', status: 'draft' }), check({ id: 's1', authorId: 'x' })])).toEqual({ state: 'done', submittedId: 's1', draftId: 'd1' });
  });
});

describe('the actions a check proves', () => {
  it('are those of every schedule in use of its template on its unit', () => {
    const s1 = schedule({ id: '00000000-0000-7000-8000-000000000001', actionIds: ['x', 'y'], unitIds: [A] });
    const s2 = schedule({ id: '00000000-0000-7000-8000-000000000002', actionIds: ['y', 'z'], unitIds: [A, B] });
    const archived = schedule({ id: '00000000-0000-7000-8000-000000000003', actionIds: ['gone'], archived: true });
    const other = schedule({ id: '00000000-0000-7000-8000-000000000004', templateId: '00000000-0000-7000-8000-0000000000f9', actionIds: ['other'] });
    const templateId = s1.templateId;
    expect(actionsProvedBy([s1, s2, archived, other], templateId, A)).toEqual(['x', 'y', 'z']);
    expect(actionsProvedBy([s1, s2, archived, other], templateId, B)).toEqual(['y', 'z']);
    expect(actionsProvedBy([s1, s2, archived, other], templateId, C)).toEqual([]);
  });
});
