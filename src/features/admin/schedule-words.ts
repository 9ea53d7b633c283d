import type { PerformedBy } from '../../shared/api/capture.ts';
import type { Frequency } from '../../shared/schedules.ts';

/** ISO weekdays: index 0 is 1 = Monday. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const PERFORMED_BY_LABELS: Record<PerformedBy, string> = {
  'unit-manager': 'Unit managers',
  'duty-governor': 'Duty governors',
  'head-of-residence': 'Head of residence',
};

/** "Every day", "Every Wednesday", "Monthly on day 31 (last day in shorter months)". */
export function describeFrequency(frequency: Frequency): string {
  switch (frequency.every) {
    case 'day':
      return 'Every day';
    case 'week':
      return `Every ${WEEKDAYS[frequency.weekday - 1] ?? `weekday ${frequency.weekday}`}`;
    case 'month':
      // Some months have no 29th to 31st: such a check falls on the month's last day (see isDueOn).
      return `Monthly on day ${frequency.day}${frequency.day > 28 ? ' (last day in shorter months)' : ''}`;
  }
}

/** The frequency inputs as the form holds them: the weekday and day of the month as typed or chosen. */
export interface FrequencyFields {
  every: Frequency['every'];
  weekday: string;
  day: string;
}

export function frequencyFields(frequency: Frequency | undefined): FrequencyFields {
  return {
    every: frequency?.every ?? 'day',
    weekday: frequency?.every === 'week' ? String(frequency.weekday) : '1',
    day: frequency?.every === 'month' ? String(frequency.day) : '',
  };
}

/** The frequency to send, or what is wrong with the day of the month (the only free-typed part). */
export type FrequencyResult = { ok: true; frequency: Frequency } | { ok: false; message: string };

export function frequencyFromFields(fields: FrequencyFields): FrequencyResult {
  switch (fields.every) {
    case 'day':
      return { ok: true, frequency: { every: 'day' } };
    case 'week': {
      const weekday = Number(fields.weekday);
      if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) return { ok: false, message: 'Choose the day of the week' };
      return { ok: true, frequency: { every: 'week', weekday } };
    }
    case 'month': {
      const text = fields.day.trim();
      if (text === '') return { ok: false, message: 'Enter the day of the month' };
      const day = Number(text);
      if (!/^\d+$/.test(text) || day < 1 || day > 31) return { ok: false, message: 'Day of the month must be a whole number from 1 to 31' };
      return { ok: true, frequency: { every: 'month', day } };
    }
  }
}

/** A long action cut to fit a checkbox label: "1.2: Weekly quality assurance of…". */
export function actionLabel(ref: string, text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return `${ref}: ${flat}`;
  // Cut at the last whole word: drop a word the limit splits.
  const head = flat.slice(0, max);
  const cut = /\s/.test(flat.charAt(max)) ? head : head.replace(/\s+\S*$/, '');
  return `${ref}: ${cut}…`;
}
