// PostgreSQL only: a transaction sends BEGIN with its first statement (parameters written in as
// literals) and can send statements together; both must answer exactly as one statement at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, together, type Db, type SqlParam } from '../../../server/src/db/client.ts';
import { createTestDatabase } from '../support/test-db.ts';

describe('PostgreSQL transactions', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    drop = () => database.drop();
    db = await openPostgres(database.url, { max: 2 });
    await db.exec('CREATE TABLE tx_probe (id int PRIMARY KEY, note text, at timestamptz, ids uuid[], ok boolean, bytes bytea)');
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  const probe = `SELECT $1::text AS text, $2::int AS n, $3::boolean AS flag, $4::text AS nothing, $5::timestamptz AS at,
                        $6::uuid[] AS ids, $7::text[] AS words, $8::jsonb AS doc`;
  const params: SqlParam[] = [
    "it's a \\ back'slash \"quoted\" line\nnext", 42, true, null, new Date('2026-12-06T03:04:05.678Z'),
    ['0193a1b2-0000-7000-8000-000000000001', '0193a1b2-0000-7000-8000-000000000002'], ['a,b', 'c"d', 'e\\f', '{g}', 'NULL', ''],
    JSON.stringify({ quote: "'", slash: '\\', nested: [1, { x: null }] }),
  ];

  it('answers its first statement, sent with BEGIN as literals, exactly as the same statement with parameters', async () => {
    const [first, second] = await db.transaction(async (tx) => [await tx.query(probe, params), await tx.query(probe, params)]);
    expect(first).toEqual(second);
    expect(first[0]).toMatchObject({ text: params[0], n: 42, flag: true, nothing: null, words: params[6] });
  });

  it('sends statements together, each answered in order, and as they answer one at a time', async () => {
    const [a, b, c] = await db.transaction((tx) =>
      together(tx, [{ sql: probe, params }, { sql: 'SELECT 1 AS one' }, { sql: 'SELECT generate_series(1, 3) AS n' }]),
    );
    expect(a).toEqual(await db.query(probe, params));
    expect(b).toEqual([{ one: 1 }]);
    expect(c).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('undoes what its first statement did when it fails later, and when a statement sent together fails', async () => {
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (id, note) VALUES ($1, $2)', [1, 'first']);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    await expect(db.transaction((tx) =>
      together(tx, [{ sql: 'INSERT INTO tx_probe (id, note) VALUES ($1, $2)', params: [2, 'second'] }, { sql: 'SELECT 1 / 0' }]),
    )).rejects.toThrow(/division by zero/);
    expect(await db.query('SELECT id FROM tx_probe WHERE id IN (1, 2)')).toEqual([]);
    // The connections went back clean: the next transactions work.
    await db.transaction((tx) => tx.query('INSERT INTO tx_probe (id, note) VALUES ($1, $2)', [3, 'third']));
    expect(await db.query('SELECT note FROM tx_probe WHERE id = 3')).toEqual([{ note: 'third' }]);
  });

  it('begins on its own when the first statement carries bytes, and commits a transaction that ran nothing', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255, 39, 92]);
    await db.transaction((tx) => tx.query('INSERT INTO tx_probe (id, bytes) VALUES ($2, $1)', [bytes, 4]));
    const [row] = await db.query<{ bytes: Buffer }>('SELECT bytes FROM tx_probe WHERE id = 4');
    expect([...(row?.bytes ?? [])]).toEqual([...bytes]);
    expect(await db.transaction(() => Promise.resolve('nothing to do'))).toBe('nothing to do');
  });

  it('runs a statement given with lastly alone in one message with its COMMIT, BEGIN before it', async () => {
    await db.transaction(async (tx) => {
      await tx.lastly?.('INSERT INTO tx_probe (id, note) VALUES (5, $1)', ['last -- not a comment']);
    });
    expect(await db.query('SELECT note FROM tx_probe WHERE id = 5')).toEqual([{ note: 'last -- not a comment' }]);
  });
});
