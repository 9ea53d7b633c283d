import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/shared/api/capture.ts';
import { escalationsFor, localHourOf, OVERDUE_AFTER_HOUR, remindersFor } from '../../src/shared/reminders.ts';

const UNIT_A = '00000000-0000-7000-8000-00000000000a';
const UNIT_B = '00000000-0000-7000-8000-00000000000b';
const daily: Schedule = {
  id: '00000000-0000-7000-8000-000000000001',
  templateId: '00000000-0000-7000-8000-000000000002',
  frequency: { every: 'day' },
  performedBy: 'unit-manager',
  unitIds: [UNIT_A, UNIT_B],
  actionIds: [],
  startsOn: '2026-11-01',
  archived: false,
};
const weekly: Schedule = { ...daily, id: '00000000-0000-7000-8000-000000000003', frequency: { every: 'week', weekday: 4 } };
const manager = { roles: ['unit-manager' as const], unitIds: [UNIT_A] };
const live = new Set([UNIT_A, UNIT_B]);
const TODAY = '2026-12-03'; // a Thursday

describe('reminders', () => {
  it('lists today’s unsettled checks as due, and overdue only from the set hour; yesterday’s are overdue all day', () => {
    const none = () => false;
    const morning = remindersFor(manager, [daily, weekly], live, none, TODAY, 9);
    expect(morning.due.map((c) => c.scheduleId)).toEqual([daily.id, weekly.id]);
    expect(morning.overdue.map((c) => [c.scheduleId, c.date])).toEqual([[daily.id, '2026-12-02']]);
    const late = remindersFor(manager, [daily, weekly], live, none, TODAY, OVERDUE_AFTER_HOUR);
    expect(late.overdue.map((c) => [c.scheduleId, c.date])).toEqual([[daily.id, TODAY], [weekly.id, TODAY], [daily.id, '2026-12-02']]);
  });

  it('leaves out what is settled, and what is not the person’s', () => {
    const settled = (c: { date: string }) => c.date === '2026-12-02';
    const r = remindersFor(manager, [daily], live, settled, TODAY, 20);
    expect(r.overdue.map((c) => c.date)).toEqual([TODAY]);
    expect(remindersFor({ roles: ['duty-governor'], unitIds: [] }, [daily], live, () => false, TODAY, 20)).toEqual({ due: [], overdue: [] });
  });

  it('escalates a unit whose daily check was missed two days running, not one missed once', () => {
    const settled = (c: { unitId: string; date: string }) => c.unitId === UNIT_B && c.date === '2026-12-01';
    expect(escalationsFor([daily, weekly], live, settled, TODAY)).toEqual([
      { scheduleId: daily.id, templateId: daily.templateId, unitId: UNIT_A, date: '2026-12-02' },
    ]);
    expect(escalationsFor([{ ...daily, startsOn: '2026-12-02' }], live, () => false, TODAY)).toEqual([]);
    expect(escalationsFor([daily], new Set([UNIT_B]), () => false, TODAY).map((e) => e.unitId)).toEqual([UNIT_B]);
  });

  it('reads the hour in the establishment’s zone, across the clocks changing', () => {
    expect(localHourOf(new Date('2026-07-01T15:30:00Z'), 'Europe/London')).toBe(16);
    expect(localHourOf(new Date('2026-12-01T15:30:00Z'), 'Europe/London')).toBe(15);
    expect(localHourOf(new Date('2026-12-01T23:30:00Z'), 'Europe/London')).toBe(23);
  });
});
