// Dates in the grid are calendar days: formatted in UTC so no time zone moves them.
export const LONG_DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
export const asDate = (day: string) => new Date(`${day}T12:00:00Z`);
