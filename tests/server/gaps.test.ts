// Explained gaps (issue 21): a missed check explained from a tablet through sync, accepted or queried by
// the head of residence, and counted apart from missed in coverage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageCellChecks, CoverageResponse } from '../../src/shared/api/coverage.ts';
import { GapExplanation, GapList } from '../../src/shared/api/gaps.ts';
import { PROTOCOL_HEADER, PullResponse, PushResponse, type PushedMutation } from '../../src/shared/api/sync.ts';
import { decodeCells } from '../../src/shared/coverage-compact.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION, type ExplainGapPayload } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { addUser, call, signIn, startWorld, type Session, type World } from './support/world.ts';

describe(`explained gaps on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let so: Session;
  let hor: Session;
  let scheduleId: string;
  let unitId: string;
  let otherUnitId: string;
  let seq = 0;
  // The test clock's today is 2026-11-23 (London); the daily servery check is expected every day.
  const MISSED = '2026-11-20';
  const FROM = '2026-11-17';
  const TO = '2026-11-23';

  const explanation = (overrides: Partial<ExplainGapPayload> = {}): ExplainGapPayload => ({
    explanationId: newId(),
    scheduleId,
    unitId,
    dueOn: MISSED,
    reason: 'lockdown',
    detail: 'Searched 07:30 to 15:00.',
    explainedAt: '2026-11-21T08:00:00.000Z',
    ...overrides,
  });
  const mutation = (payload: unknown, type = 'gap.explain'): PushedMutation => ({
    id: newId(), clientId: 'tablet-gaps', seq: (seq += 1), type, payload, createdAt: '2026-11-21T08:00:00.000Z',
  });
  const push = async (session: Session, ...mutations: PushedMutation[]) => {
    const res = await call(t.app, session, 'POST', '/api/sync/push', { clientId: 'tablet-gaps', protocol: PROTOCOL_VERSION, mutations });
    expect(res.statusCode, res.body).toBe(200);
    return PushResponse.parse(res.json()).results;
  };
  const coverage = async () => {
    const res = await call(t.app, hor, 'GET', `/api/coverage?from=${FROM}&to=${TO}&scheduleId=${scheduleId}`);
    expect(res.statusCode, res.body).toBe(200);
    const unit = CoverageResponse.parse(res.json()).schedules[0]?.units.find((u) => u.unitId === unitId);
    if (!unit) throw new Error('the unit is not in coverage');
    return { unit, cell: decodeCells(unit.cells)[3] };
  };
  const review = (session: Session, id: string, body: unknown) => call(t.app, session, 'POST', `/api/gaps/${id}/review`, body);

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    so = await signIn(t.app, 'so.demo');
    hor = await signIn(t.app, 'hor.demo');
    // The demo was made "now"; these tests' days are before that: the units and schedules were there then.
    await t.db.query("UPDATE units SET created_at = '2025-01-01' WHERE establishment_id = $1", [world.demoId]);
    await t.db.query("UPDATE schedules SET starts_on = '2025-01-01' WHERE establishment_id = $1", [world.demoId]);
    const [daily] = await t.db.query<{ id: string; unit_ids: string[] }>(
      `SELECT s.id, ARRAY(SELECT su.unit_id FROM schedule_units su WHERE su.schedule_id = s.id ORDER BY su.unit_id) AS unit_ids
       FROM schedules s JOIN templates t ON t.id = s.template_id
       WHERE s.establishment_id = $1 AND t.key = 'daily-servery-check'`,
      [world.demoId],
    );
    if (!daily?.unit_ids[0]) throw new Error('no daily servery schedule');
    scheduleId = daily.id;
    unitId = daily.unit_ids[0];
    const [off] = await t.db.query<{ id: string }>(
      'SELECT id FROM units WHERE establishment_id = $1 AND NOT (id = ANY($2::uuid[])) LIMIT 1',
      [world.demoId, daily.unit_ids],
    );
    if (!off) throw new Error('every unit has the servery check');
    otherUnitId = off.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses what is not a gap, or not theirs to explain, each with a reason a person can act on', async () => {
    const [elsewhere] = await t.db.query<{ id: string }>('SELECT id FROM schedules WHERE establishment_id = $1 LIMIT 1', [world.elsewhereId]);
    const cases: [Partial<ExplainGapPayload>, RegExp][] = [
      [{ dueOn: '2026-11-24' }, /has not come yet/],
      [{ dueOn: '2024-12-31' }, /was not expected of .* on 2024-12-31/],
      [{ unitId: otherUnitId }, /was not expected of/],
      [{ scheduleId: elsewhere?.id ?? newId() }, /schedule is not one of your establishment’s/],
      [{ unitId: newId() }, /unit is not one of your establishment’s/],
      [{ explainedAt: '2026-11-25T09:30:00.000Z' }, /clock is wrong/],
    ];
    for (const [overrides, reason] of cases) {
      const [result] = await push(so, mutation(explanation(overrides)));
      expect(result, JSON.stringify(overrides)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) as unknown });
    }
    const [malformed] = await push(so, mutation({ ...explanation({ reason: 'other' }), detail: ' ' }));
    expect(malformed).toMatchObject({ status: 'rejected', reason: expect.stringContaining('must say what happened') as unknown });
    const [unknownReason] = await push(so, mutation({ ...explanation(), reason: 'weather' }));
    expect(unknownReason?.status).toBe('rejected');
    // An admin runs no checks: explaining them is not theirs.
    const [byAdmin] = await push(await signIn(t.app, 'admin.demo'), mutation(explanation()));
    expect(byAdmin).toMatchObject({ status: 'rejected', reason: expect.stringContaining('unit manager or duty governor') as unknown });
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM gap_explanations WHERE id <> $1', [world.demoGapId]);
    expect(row?.n).toBe(0);
  });

  let first: ExplainGapPayload;

  it('stores an explanation sent from a tablet once, audited; the day stays missed until it is accepted', async () => {
    first = explanation();
    const sent = mutation(first);
    expect(await push(so, sent)).toEqual([{ id: sent.id, status: 'applied' }]);
    // Sent again (the answer was lost on the way): the same answer, nothing stored twice.
    expect(await push(so, sent)).toEqual([{ id: sent.id, status: 'duplicate' }]);
    // The same explanation under another mutation id is refused, not stored twice.
    const [again] = await push(so, mutation(first));
    expect(again).toMatchObject({ status: 'rejected', reason: expect.stringContaining('already recorded') as unknown });
    const audited = await t.db.query<{ action: string; entity_id: string }>("SELECT action, entity_id FROM audit_log WHERE action LIKE 'gap.%'");
    expect(audited).toEqual([{ action: 'gap.explain', entity_id: first.explanationId }]);

    const { unit, cell } = await coverage();
    expect(cell?.state).toBe('missed');
    expect(unit.explanations.filter((e) => e.day === MISSED)).toEqual([{ day: MISSED, id: first.explanationId, status: 'awaiting-review' }]);
    expect(unit.summary).toMatchObject({ missed: 6, explained: 0 });
  });

  it('lists what awaits the head of residence, to oversight only', async () => {
    expect((await call(t.app, so, 'GET', '/api/gaps')).statusCode).toBe(403);
    const res = await call(t.app, hor, 'GET', '/api/gaps');
    expect(res.statusCode, res.body).toBe(200);
    const listed = GapList.parse(res.json()).explanations.find((e) => e.id === first.explanationId);
    expect(listed).toMatchObject({
      id: first.explanationId, dueOn: MISSED, reason: 'lockdown', detail: 'Searched 07:30 to 15:00.', authorName: 'Sam Officer (demo)',
      templateTitle: 'Daily servery check', review: null,
    });
    expect((await call(t.app, hor, 'GET', '/api/gaps?status=sometimes')).statusCode).toBe(400);
  });

  it('counts a day apart from missed once its explanation is accepted, with both percentages', async () => {
    // Only the head of residence decides; another establishment's cannot even find it.
    expect((await review(so, first.explanationId, { decision: 'accepted' })).statusCode).toBe(403);
    await addUser(t.db, 'hor.other', world.elsewhereId, ['head-of-residence']);
    expect((await review(await signIn(t.app, 'hor.other'), first.explanationId, { decision: 'accepted' })).statusCode).toBe(404);
    expect((await review(hor, newId(), { decision: 'accepted' })).statusCode).toBe(404);
    expect((await review(hor, first.explanationId, { decision: 'maybe' })).statusCode).toBe(400);

    const res = await review(hor, first.explanationId, { decision: 'accepted' });
    expect(res.statusCode, res.body).toBe(200);
    expect(GapExplanation.parse(res.json()).review).toMatchObject({ decision: 'accepted', comment: null, reviewerName: 'Harper Residence (demo)' });
    const { unit, cell } = await coverage();
    expect(cell?.state).toBe('explained');
    // 7 days expected, none done (today is due, not counted): 6 counted, 1 of them explained.
    expect(unit.summary).toMatchObject({ expected: 6, recorded: 0, missed: 5, explained: 1, percent: 0, percentUnexplained: 0 });
    const checks = await call(t.app, hor, 'GET', `/api/coverage/checks?from=${FROM}&to=${TO}&scheduleId=${scheduleId}&unitId=${unitId}&day=${MISSED}`);
    expect(checks.statusCode, checks.body).toBe(200);
    expect(CoverageCellChecks.parse(checks.json()).explanations.map((e) => [e.id, e.review?.decision])).toEqual([[first.explanationId, 'accepted']]);
  });

  it('takes a query only with what is unclear; explained again, the new explanation stands and the old cannot be decided', async () => {
    expect((await review(hor, first.explanationId, { decision: 'queried' })).statusCode).toBe(400);
    const queried = await review(hor, first.explanationId, { decision: 'queried', comment: 'Which landings were searched?' });
    expect(queried.statusCode, queried.body).toBe(200);
    expect((await coverage()).cell?.state).toBe('missed');

    const second = explanation({ detail: 'Landings 1 and 2 searched; servery closed all day.', explainedAt: '2026-11-22T08:00:00.000Z' });
    expect((await push(so, mutation(second)))[0]?.status).toBe('applied');
    expect((await coverage()).unit.explanations.filter((e) => e.day === MISSED)).toEqual([{ day: MISSED, id: second.explanationId, status: 'awaiting-review' }]);
    expect((await review(hor, first.explanationId, { decision: 'accepted' })).statusCode).toBe(409);
    expect((await review(hor, second.explanationId, { decision: 'accepted' })).statusCode).toBe(200);
    expect((await coverage()).cell?.state).toBe('explained');
    const audited = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'gap.%' ORDER BY seq");
    expect(audited.map((a) => a.action)).toEqual(['gap.explain', 'gap.accept', 'gap.query', 'gap.explain', 'gap.accept']);
  });

  it('sends explanations and decisions to tablets that speak protocol 3, and nothing they cannot read to older ones', async () => {
    const pull = async (headers: Record<string, string>) => {
      const res = await call(t.app, so, 'GET', '/api/sync/pull?cursor=0&limit=1000', undefined, { headers });
      expect(res.statusCode, res.body).toBe(200);
      return PullResponse.parse(res.json());
    };
    const now = await pull({ [PROTOCOL_HEADER]: '3' });
    const gaps = now.changes.flatMap((c) => (c.entity === 'gap' ? [c.data] : []));
    expect(gaps.find((g) => g.id === first.explanationId)?.review).toMatchObject({ decision: 'queried', comment: 'Which landings were searched?' });
    const old = await pull({});
    expect(old.changes.some((c) => (c.entity as string) === 'gap')).toBe(false);
    expect(old.cursor).toBe(now.cursor);
  });
});
