import { describe, expect, it } from 'vitest';
import type { Schedule, TemplateVersionRecord } from '../../src/shared/api/capture.ts';
import { BUILTIN_TEMPLATES } from '../../src/shared/templates/builtin.ts';
import { dueChecksFor, dueState, isOverdue, latestVersions } from '../../src/shared/today.ts';

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

  it('gives a duty governor’s round to a head of residence too, but not to a unit manager', () => {
    const round = schedule({ performedBy: 'duty-governor' });
    expect(dueChecksFor({ roles: ['head-of-residence'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(3);
    expect(dueChecksFor({ roles: ['unit-manager'], unitIds: [] }, [round], live, '2026-11-23')).toHaveLength(0);
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
