/**
 * A JSON column's value as the engine hands it over: PostgreSQL's driver and PGlite parse json and
 * jsonb into values, but a column read through a text cast, or an aggregate built as text, comes
 * back as a string. The one place either is read into a value.
 */
export const fromJsonColumn = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
