// Logs never carry evidence text: a database error on a request carrying a distinctive note (its
// value in the SQL parameters and quoted in the engine's message) is logged by route, status, code
// and request id, without the text.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { DirectoryBlobStore } from '../../server/src/blobs.ts';
import type { Db, Queryable } from '../../server/src/db/client.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { newId } from '../../src/shared/ids.ts';
import { TestClock } from './support/app.ts';
import { checkMutation, evidenceRefs } from './support/evidence.ts';
import { openTestDb, TEST_ENGINE } from './support/test-db.ts';
import { buildWorld, call, PASSWORD, signIn, type World } from './support/world.ts';
import { capturedLogs } from './support/captured-logs.ts';

const NOTE = 'Servery trolley at 41C, Mr Example on B2 said the food was cold';

/**
 * The database, except that a statement given the note fails in the engine itself: the note cast
 * to a uuid, so the error quotes it and (on PGlite) carries it in its parameters, as a real
 * failure on that statement would.
 */
function failingOnNote(db: Db): Db {
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params = []) {
      const note = params.find((p) => typeof p === 'string' && p.includes('Mr Example'));
      return note === undefined ? q.query(sql, params) : q.query('SELECT $1::uuid AS boom', [note]);
    },
    exec: (sql) => q.exec(sql),
  });
  return { ...db, ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))), close: () => db.close() };
}

describe(`logs on ${TEST_ENGINE}`, () => {
  let app: FastifyInstance;
  let db: Db;
  let blobDir: string;
  let world: World;
  const { stream, text: logText } = capturedLogs();
  beforeAll(async () => {
    db = await openTestDb();
    await migrate(db);
    world = await buildWorld(db);
    blobDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-blobs-'));
    app = await buildApp({
      db: failingOnNote(db),
      blobs: new DirectoryBlobStore(blobDir),
      clock: new TestClock(),
      logger: { level: 'trace', stream },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  it('logs a failed review by its route, status, code and request id, without the reason given', async () => {
    const hor = await signIn(app, 'hor.demo');
    const res = await call(app, hor, 'POST', `/api/checks/${world.demoCheckId}/reviews`, { decision: 'returned', reason: NOTE });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('Mr Example');
    const failed = logText().split('\n').filter((line) => line.includes('"request failed"'));
    expect(failed).toHaveLength(1);
    const entry = JSON.parse(failed[0] ?? '{}') as { reqId?: string; route?: string; statusCode?: number; err?: { code?: string; stack?: string } };
    expect(entry).toMatchObject({ route: '/api/checks/:id/reviews', statusCode: 500, err: { code: '22P02' } });
    expect(entry.reqId).toBeTruthy();
    // Where it failed, down to the code that ran the query.
    expect(entry.err?.stack).toMatch(/reviews\.ts/);
  });

  it('logs a push whose check carries the note without the note or its answers', async () => {
    const so = await signIn(app, 'dg.demo');
    const refs = await evidenceRefs(db, world.demoId);
    const mutation = checkMutation(refs, newId(), 1);
    mutation.payload.answers = mutation.payload.answers.map((answer, i) => (i === 0 ? { ...answer, value: 'fail', note: NOTE } : answer));
    await call(app, so, 'POST', '/api/sync/push', { clientId: mutation.clientId, protocol: 1, mutations: [mutation] });
  });

  it('never writes the note, any part of it, or a password to the log', () => {
    expect(logText().length).toBeGreaterThan(0);
    expect(logText()).not.toContain('Mr Example');
    expect(logText()).not.toContain('41C');
    expect(logText()).not.toContain(PASSWORD);
  });
});
