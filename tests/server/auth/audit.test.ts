import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../../server/src/audit.ts';
import { AuditRow } from '../../../src/shared/api/admin.ts';
import type { TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from '../support/world.ts';

describe(`audit log on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
  });
  afterAll(async () => {
    await t.close();
  });

  it('records who did what, to which entity, from which device, newest first', async () => {
    const device = '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { 'cookie': admin.cookie, 'x-csrf-token': admin.csrfToken, 'x-wingcheck-device': device },
      payload: { name: 'E Wing', landings: ['1s', '2s'] },
    });
    expect(res.statusCode).toBe(201);
    const rows = AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=2')).json());
    expect(rows[0]).toMatchObject({
      actor: 'admin.demo',
      action: 'unit.create',
      entityType: 'unit',
      entityId: res.json<{ id: string }>().id,
      deviceId: device,
      details: { name: 'E Wing', landings: ['1s', '2s'] },
    });
    expect(rows[1]).toMatchObject({ actor: 'admin.demo', action: 'session.sign-in' });
    expect(rows[0]?.seq).toBeGreaterThan(rows[1]?.seq ?? Infinity);
  });

  it('verifies an untouched chain', async () => {
    const res = await call(t.app, admin, 'GET', '/api/audit/verify');
    expect(res.json()).toMatchObject({ ok: true });
    expect(res.json<{ count: number }>().count).toBeGreaterThanOrEqual(2);
  });

  it('keeps the chain whole with many writers at once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction((tx) =>
          appendAudit(
            tx,
            { establishmentId: world.demoId, actorId: null, action: 'test.concurrent', entityType: 'test', entityId: String(i), deviceId: null },
            t.clock.now(),
          ),
        ),
      ),
    );
    expect(await verifyAudit(t.db, world.demoId)).toMatchObject({ ok: true });
  });

  it('detects a row changed after it was written', async () => {
    const [row] = await t.db.query<{ seq: string }>(
      "SELECT seq::text AS seq FROM audit_log WHERE establishment_id = $1 AND action = 'unit.create'",
      [world.demoId],
    );
    await t.db.query(
      'UPDATE audit_log SET details = \'{"name":"F Wing","landings":["1s","2s"]}\' WHERE establishment_id = $1 AND seq = $2',
      [world.demoId, row?.seq ?? '0'],
    );
    const res = await call(t.app, admin, 'GET', '/api/audit/verify');
    expect(res.json()).toMatchObject({ ok: false, brokenAt: Number(row?.seq), reason: 'the row was changed after it was written' });
  });

  it('detects rows removed from the end', async () => {
    const other = await signIn(t.app, 'admin.other');
    expect((await call(t.app, other, 'GET', '/api/audit/verify')).json()).toMatchObject({ ok: true });
    await t.db.query(
      'DELETE FROM audit_log WHERE establishment_id = $1 AND seq = (SELECT max(seq) FROM audit_log WHERE establishment_id = $1)',
      [world.elsewhereId],
    );
    expect((await call(t.app, other, 'GET', '/api/audit/verify')).json()).toMatchObject({
      ok: false,
      reason: 'rows are missing from the end of the log',
    });
  });
});
