// Where the rooms meet: routes only parse, authorise and call services (no SQL in server/src/routes),
// one entry point writes the audit log, and screens draw GOV.UK controls only through the src/ui kit.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROUTES_DIR = path.join(ROOT, 'server/src/routes');

/** Database calls, and the statements of SQL, as they would appear in a route file. */
const DATABASE = [
  /\.query\s*[<(]/,
  /\.transaction\s*\(/,
  /\.exec\s*\(/,
  /\bSELECT\s/,
  /\bINSERT\s+INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The lines of a file that match any of the patterns, as "file:line: text". */
function matching(file: string, text: string, patterns: readonly RegExp[]): string[] {
  return text.split('\n').flatMap((line, i) =>
    patterns.some((pattern) => pattern.test(line)) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : []);
}

/** GOV.UK form controls and buttons by their classes: the kit's to draw, so each has one accessible shape. */
const GOVUK_CONTROLS = [
  /class(Name)?=[{"`'][^}]*\bgovuk-(button|radios|checkboxes|select|textarea|input|file-upload|error-message)(?![\w-])/,
];

/** Each line of a file that holds SQL or calls the database, as "file:line: text". */
function databaseUse(file: string, text: string): string[] {
  return matching(file, text, DATABASE);
}

describe('architecture', () => {
  it('finds the route files', () => {
    expect(sourceFiles(ROUTES_DIR).map((f) => path.basename(f))).toContain('index.ts');
  });

  it('keeps SQL and database calls out of server/src/routes: they belong in a service', () => {
    const found = sourceFiles(ROUTES_DIR).flatMap((file) => databaseUse(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('would notice a query, a transaction or SQL text in a route', () => {
    expect(databaseUse('x.ts', "await deps.db.query('SELECT 1');")).toHaveLength(1);
    expect(databaseUse('x.ts', 'await deps.db.transaction(async (tx) => {});')).toHaveLength(1);
    expect(databaseUse('x.ts', '`DELETE FROM oidc_logins WHERE state = $1`')).toHaveLength(1);
    expect(databaseUse('x.ts', "const sql = 'UPDATE users SET password_hash = $2';")).toHaveLength(1);
    expect(databaseUse('x.ts', 'const answer = await pingDatabase(deps.db);')).toEqual([]);
  });

  it('writes the audit log only through audit(), auditAs() and auditBatch(), from the server and the command line alike', () => {
    const writers = [...sourceFiles(path.join(ROOT, 'server/src')), ...sourceFiles(path.join(ROOT, 'scripts'))]
      .filter((file) => /\bappendAudit(Batch)?\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(writers.sort()).toEqual(['server/src/audit-request.ts', 'server/src/audit.ts']);
  });

  it('draws GOV.UK buttons and form controls only in the src/ui kit', () => {
    const screens = [...sourceFiles(path.join(ROOT, 'src/features')), ...sourceFiles(path.join(ROOT, 'src/app'))];
    const found = screens.flatMap((file) => matching(file, readFileSync(file, 'utf8'), GOVUK_CONTROLS));
    expect(found).toEqual([]);
  });

  it('would notice a hand-written GOV.UK control, but not a button group or an input wrapper', () => {
    const found = (line: string) => matching('x.tsx', line, GOVUK_CONTROLS);
    expect(found('<button class="govuk-button govuk-button--secondary">')).toHaveLength(1);
    expect(found('<select class="govuk-select" id="unit">')).toHaveLength(1);
    expect(found("<input class={`govuk-input${error ? ' govuk-input--error' : ''}`} />")).toHaveLength(1);
    expect(found('<p class="govuk-error-message">')).toHaveLength(1);
    expect(found('<div class="govuk-button-group">')).toEqual([]);
    expect(found('<div class="govuk-input__wrapper">')).toEqual([]);
  });
});
