import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionDetail, PlanOverview, Review } from '../../src/shared/api/review.ts';
import { PullResponse, PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

describe(`reviewing evidence on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let dg: Session;
  let hor: Session;
  let refs: EvidenceRefs;
  const checkIds: string[] = [];
  beforeAll(async () => {
    ({ t, world } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    hor = await signIn(t.app, 'hor.demo');
    refs = await evidenceRefs(t.db, world.demoId);
    await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } });
    const photo = { sha256: PHOTO_SHA, mime: 'image/jpeg' as const, size: PHOTO.length, width: 1200, height: 1600, itemId: null };
    const mutations = [checkMutation(refs, 'tablet-dg', 1, { photos: [photo] }), checkMutation(refs, 'tablet-dg', 2)];
    const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-dg', protocol: PROTOCOL_VERSION, mutations });
    expect(PushResponse.parse(res.json()).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    checkIds.push(...mutations.map((m) => m.payload.checkId));
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows an action’s evidence timeline, newest first, with who made it and its photos', async () => {
    const res = await call(t.app, hor, 'GET', `/api/actions/${refs.actionId}`);
    expect(res.statusCode, res.body).toBe(200);
    const detail = ActionDetail.parse(res.json());
    expect(detail.evidence.map((e) => e.id).sort()).toEqual([...checkIds].sort());
    expect(detail.evidence.find((e) => e.id === checkIds[0])).toMatchObject({ authorName: 'Dana Governor (demo)', photos: [{ sha256: PHOTO_SHA }] });
    const other = await signIn(t.app, 'admin.other');
    expect((await call(t.app, other, 'GET', `/api/actions/${refs.actionId}`)).statusCode).toBe(403);
    expect((await call(t.app, hor, 'GET', `/api/actions/${newId()}`)).statusCode).toBe(404);
  });

  it('lets the head of residence return evidence with a reason and accept other evidence; the submitter’s device pulls both', async () => {
    const dgCursor = PullResponse.parse((await call(t.app, dg, 'GET', '/api/sync/pull?cursor=0')).json()).cursor;
    const returned = await call(t.app, hor, 'POST', `/api/checks/${checkIds[0] ?? ''}/reviews`, { decision: 'returned', reason: 'Photo does not show the servery.' });
    expect(returned.statusCode, returned.body).toBe(201);
    expect(Review.parse(returned.json())).toMatchObject({ decision: 'returned', reviewerName: 'Harper Residence (demo)' });
    expect((await call(t.app, hor, 'POST', `/api/checks/${checkIds[1] ?? ''}/reviews`, { decision: 'accepted' })).statusCode).toBe(201);

    const noReason = await call(t.app, hor, 'POST', `/api/checks/${checkIds[1] ?? ''}/reviews`, { decision: 'returned' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ message: string }>().message).toContain('say why the evidence is returned');
    expect((await call(t.app, dg, 'POST', `/api/checks/${checkIds[1] ?? ''}/reviews`, { decision: 'accepted' })).statusCode).toBe(403);
    const other = await signIn(t.app, 'admin.other');
    expect((await call(t.app, other, 'POST', `/api/checks/${checkIds[1] ?? ''}/reviews`, { decision: 'accepted' })).statusCode).toBe(403);

    const pulled = PullResponse.parse((await call(t.app, dg, 'GET', `/api/sync/pull?cursor=${dgCursor}`)).json());
    const reviews = pulled.changes.filter((c) => c.entity === 'review').map((c) => c.data);
    expect(reviews.map((r) => [r.checkId, r.decision, r.reason])).toEqual([
      [checkIds[0], 'returned', 'Photo does not show the servery.'],
      [checkIds[1], 'accepted', null],
    ]);
  });

  it('counts evidence per action in the plan overview, and allows "complete" on accepted evidence', async () => {
    const overview = PlanOverview.parse((await call(t.app, hor, 'GET', `/api/plans/${world.demoPlanId}/overview`)).json());
    const row = overview.actions.find((a) => a.id === refs.actionId);
    expect(row).toMatchObject({ evidenceCount: 2, unitIds: [refs.unitId] });
    expect(row?.lastEvidenceAt).toBe('2026-11-23T09:10:00.000Z');
    expect(overview.actions.filter((a) => a.evidenceCount === 0).length).toBeGreaterThan(50);

    const complete = { id: newId(), clientId: 'hor-tablet', seq: 1, type: 'action.set-status', payload: { actionId: refs.actionId, status: 'complete', baseVersion: 1 }, createdAt: '2026-11-23T11:00:00.000Z' };
    const res = await call(t.app, hor, 'POST', '/api/sync/push', { clientId: 'hor-tablet', protocol: PROTOCOL_VERSION, mutations: [complete] });
    expect(PushResponse.parse(res.json()).results[0]?.status).toBe('applied');
  });

  it('pages an action’s evidence newest first, counting all of it and what stands accepted', async () => {
    // An action proved every day gathers hundreds of checks: the page sends them 25 at a time.
    const action = (await t.db.query<{ id: string }>(
      `SELECT a.id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id WHERE r.plan_id = $1
       ORDER BY r.position, a.position OFFSET 2 LIMIT 1`,
      [world.demoPlanId],
    ))[0]?.id ?? '';
    const mutations = Array.from({ length: 30 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 9, 1 + i, 9)).toISOString();
      return checkMutation({ ...refs, actionId: action }, 'tablet-pages', i + 1, { startedAt: at, submittedAt: at });
    });
    const pushed = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-pages', protocol: PROTOCOL_VERSION, mutations });
    expect(PushResponse.parse(pushed.json()).results.every((r) => r.status === 'applied')).toBe(true);
    const newest = mutations.map((m) => m.payload.checkId).reverse();
    expect((await call(t.app, hor, 'POST', `/api/checks/${newest[29] ?? ''}/reviews`, { decision: 'accepted' })).statusCode).toBe(201);

    const first = ActionDetail.parse((await call(t.app, hor, 'GET', `/api/actions/${action}`)).json());
    expect(first).toMatchObject({ evidenceTotal: 30, acceptedEvidence: 1 });
    expect(first.evidence.map((e) => e.id)).toEqual(newest.slice(0, 25));
    const rest = ActionDetail.parse((await call(t.app, hor, 'GET', `/api/actions/${action}?before=${newest[24] ?? ''}`)).json());
    expect(rest.evidence.map((e) => e.id)).toEqual(newest.slice(25));
    const small = ActionDetail.parse((await call(t.app, hor, 'GET', `/api/actions/${action}?limit=3&before=${newest[0] ?? ''}`)).json());
    expect(small.evidence.map((e) => e.id)).toEqual(newest.slice(1, 4));
    // Evidence of another action, or none at all, as the cursor: nothing, not someone else's.
    const elsewhere = ActionDetail.parse((await call(t.app, hor, 'GET', `/api/actions/${action}?before=${checkIds[0] ?? ''}`)).json());
    expect(elsewhere.evidence).toEqual([]);
    for (const query of ['limit=0', 'limit=101', 'limit=two', 'before=not-an-id', 'page=2']) {
      const res = await call(t.app, hor, 'GET', `/api/actions/${action}?${query}`);
      expect(res.statusCode, query).toBe(400);
    }
  });
});
