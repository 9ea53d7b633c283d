import type { CheckRow, TemplateRow, UnitRow } from '../../data/queries.ts';

const LOCALE = 'en-GB';

/** "Monday 23 November 2026" for a local date or an instant. */
export function formatDate(value: string, options: { weekday?: boolean } = {}): string {
  // A bare date is a calendar day: read it at noon UTC so no time zone moves it to another day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return date.toLocaleDateString(LOCALE, { day: 'numeric', month: 'long', year: 'numeric', ...(options.weekday ? { weekday: 'long' } : {}), ...(value.length === 10 ? { timeZone: 'UTC' } : {}) });
}

/** "14:05" in the device's time zone (the wing's). */
export function formatTime(instant: string): string {
  return new Date(instant).toLocaleTimeString(LOCALE, { hour: '2-digit', minute: '2-digit' });
}

export function checkTitle(check: CheckRow, versions: ReadonlyMap<string, TemplateRow>): string {
  if (check.kind === 'note') return 'Evidence note';
  return (check.templateVersionId ? versions.get(check.templateVersionId)?.definition.title : undefined) ?? 'Check';
}

/** A unit's name for a check that names one; null for none. */
export function unitName(units: ReadonlyMap<string, UnitRow>, id: string | null): string | null {
  return id ? (units.get(id)?.name ?? 'Unknown unit') : null;
}
