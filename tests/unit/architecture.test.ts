// Routes only parse, authorise and call services: no SQL and no database call in server/src/routes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUTES_DIR = path.resolve(import.meta.dirname, '../../server/src/routes');

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

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Each line of a file that holds SQL or calls the database, as "file:line: text". */
function databaseUse(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    DATABASE.some((pattern) => pattern.test(line)) ? [`${path.relative(ROUTES_DIR, file)}:${i + 1}: ${line.trim()}`] : []);
}

describe('architecture', () => {
  it('finds the route files', () => {
    expect(routeFiles(ROUTES_DIR).map((f) => path.basename(f))).toContain('index.ts');
  });

  it('keeps SQL and database calls out of server/src/routes: they belong in a service', () => {
    const found = routeFiles(ROUTES_DIR).flatMap((file) => databaseUse(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('would notice a query, a transaction or SQL text in a route', () => {
    expect(databaseUse('x.ts', "await deps.db.query('SELECT 1');")).toHaveLength(1);
    expect(databaseUse('x.ts', 'await deps.db.transaction(async (tx) => {});')).toHaveLength(1);
    expect(databaseUse('x.ts', '`DELETE FROM oidc_logins WHERE state = $1`')).toHaveLength(1);
    expect(databaseUse('x.ts', "const sql = 'UPDATE users SET password_hash = $2';")).toHaveLength(1);
    expect(databaseUse('x.ts', 'const answer = await pingDatabase(deps.db);')).toEqual([]);
  });
});
