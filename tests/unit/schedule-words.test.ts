import { describe, expect, it } from 'vitest';
import { actionLabel, describeFrequency, frequencyFields, frequencyFromFields, PERFORMED_BY_LABELS } from '../../src/features/admin/schedule-words.ts';
import { PerformedBy } from '../../src/shared/api/capture.ts';

describe('frequency in words', () => {
  it('says every day, every weekday by name, or the day of the month', () => {
    expect(describeFrequency({ every: 'day' })).toBe('Every day');
    expect(describeFrequency({ every: 'week', weekday: 1 })).toBe('Every Monday');
    expect(describeFrequency({ every: 'week', weekday: 3 })).toBe('Every Wednesday');
    expect(describeFrequency({ every: 'week', weekday: 7 })).toBe('Every Sunday');
    expect(describeFrequency({ every: 'month', day: 1 })).toBe('Monthly on day 1');
    expect(describeFrequency({ every: 'month', day: 28 })).toBe('Monthly on day 28');
  });

  it('warns that the 29th to 31st fall on the last day of shorter months', () => {
    expect(describeFrequency({ every: 'month', day: 29 })).toBe('Monthly on day 29 (last day in shorter months)');
    expect(describeFrequency({ every: 'month', day: 31 })).toBe('Monthly on day 31 (last day in shorter months)');
  });

  it('names every kind of person who performs a check', () => {
    expect(PerformedBy.options.map((p) => PERFORMED_BY_LABELS[p])).toEqual(['Unit managers', 'Duty governors', 'Head of residence']);
  });
});

describe('the frequency form', () => {
  it('starts from the schedule, or every day for a new one', () => {
    expect(frequencyFields(undefined)).toEqual({ every: 'day', weekday: '1', day: '' });
    expect(frequencyFields({ every: 'week', weekday: 3 })).toEqual({ every: 'week', weekday: '3', day: '' });
    expect(frequencyFields({ every: 'month', day: 31 })).toEqual({ every: 'month', weekday: '1', day: '31' });
  });

  it('turns the fields into a frequency, ignoring the fields of the other choices', () => {
    expect(frequencyFromFields({ every: 'day', weekday: 'x', day: 'x' })).toEqual({ ok: true, frequency: { every: 'day' } });
    expect(frequencyFromFields({ every: 'week', weekday: '3', day: '' })).toEqual({ ok: true, frequency: { every: 'week', weekday: 3 } });
    expect(frequencyFromFields({ every: 'month', weekday: '1', day: ' 31 ' })).toEqual({ ok: true, frequency: { every: 'month', day: 31 } });
  });

  it('says what is wrong with a day of the month', () => {
    expect(frequencyFromFields({ every: 'month', weekday: '1', day: '' })).toEqual({ ok: false, message: 'Enter the day of the month' });
    for (const day of ['0', '32', '2.5', 'last', '-1']) {
      expect(frequencyFromFields({ every: 'month', weekday: '1', day })).toEqual({
        ok: false,
        message: 'Day of the month must be a whole number from 1 to 31',
      });
    }
    expect(frequencyFromFields({ every: 'week', weekday: '8', day: '' })).toEqual({ ok: false, message: 'Choose the day of the week' });
  });
});

describe('action labels', () => {
  it('keep short actions whole and cut long ones at a word', () => {
    expect(actionLabel('1', 'Weekly  quality\nassurance.')).toBe('1: Weekly quality assurance.');
    const label = actionLabel('2.3', 'The Head of Residence will introduce, as part of handovers and briefings, a reminder', 40);
    expect(label).toBe('2.3: The Head of Residence will introduce, as…');
  });
});
