import { describe, expect, it } from 'vitest';
import { datesBetween, dueOn, isDueOn, localDateOf, weekdayOf } from '../../src/shared/schedules.ts';

const LONDON = 'Europe/London';

describe('local dates in the establishment time zone', () => {
  it('is the London date, in winter (GMT) and summer (BST)', () => {
    expect(localDateOf(new Date('2026-01-15T23:30:00Z'), LONDON)).toBe('2026-01-15');
    // 23:30 UTC in July is 00:30 the next day in London.
    expect(localDateOf(new Date('2026-07-15T23:30:00Z'), LONDON)).toBe('2026-07-16');
  });

  it('gets the days right across the clock changes', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(localDateOf(new Date('2026-03-28T23:59:00Z'), LONDON)).toBe('2026-03-28');
    expect(localDateOf(new Date('2026-03-29T00:30:00Z'), LONDON)).toBe('2026-03-29');
    expect(localDateOf(new Date('2026-03-29T23:30:00Z'), LONDON)).toBe('2026-03-30');
    expect(localDateOf(new Date('2026-10-24T23:30:00Z'), LONDON)).toBe('2026-10-25');
    expect(localDateOf(new Date('2026-10-25T23:30:00Z'), LONDON)).toBe('2026-10-25');
    // A day of 23 hours and one of 25 hours are each still one day.
    expect(datesBetween('2026-03-28', '2026-03-30')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(datesBetween('2026-10-24', '2026-10-26')).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
  });
});

describe('what is due', () => {
  it('is due every day, on one weekday, or on one day of the month', () => {
    expect(weekdayOf('2026-11-23')).toBe(1); // a Monday
    expect(weekdayOf('2026-11-29')).toBe(7);
    expect(isDueOn({ every: 'day' }, '2026-11-29')).toBe(true);
    expect(isDueOn({ every: 'week', weekday: 1 }, '2026-11-23')).toBe(true);
    expect(isDueOn({ every: 'week', weekday: 1 }, '2026-11-24')).toBe(false);
    expect(isDueOn({ every: 'month', day: 15 }, '2026-11-15')).toBe(true);
  });

  it('puts a monthly check on the 31st on the last day of shorter months', () => {
    const monthly = { every: 'month', day: 31 } as const;
    expect(isDueOn(monthly, '2026-02-28')).toBe(true);
    expect(isDueOn(monthly, '2028-02-28')).toBe(false);
    expect(isDueOn(monthly, '2028-02-29')).toBe(true);
    expect(isDueOn(monthly, '2026-04-30')).toBe(true);
    expect(isDueOn(monthly, '2026-05-30')).toBe(false);
  });

  it('lists one due check per schedule and unit, optionally for my units only', () => {
    const schedules = [
      { id: 'servery', frequency: { every: 'day' } as const, unitIds: ['a', 'b', 'c'] },
      { id: 'weekly-clean', frequency: { every: 'week', weekday: 2 } as const, unitIds: ['a', 'b'] },
    ];
    expect(dueOn(schedules, '2026-11-23').map((d) => `${d.scheduleId}:${d.unitId}`)).toEqual(['servery:a', 'servery:b', 'servery:c']);
    expect(dueOn(schedules, '2026-11-24', new Set(['b'])).map((d) => `${d.scheduleId}:${d.unitId}`)).toEqual(['servery:b', 'weekly-clean:b']);
  });

  it('counts every day of a year once', () => {
    expect(datesBetween('2026-01-01', '2026-12-31')).toHaveLength(365);
    expect(datesBetween('2028-01-01', '2028-12-31')).toHaveLength(366);
  });
});
