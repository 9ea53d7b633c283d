import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_REF_SQL } from '../../server/src/services/action-ref.ts';
import { actionRef } from '../../src/shared/action-ref.ts';
import { exportPath, type ExportRequest } from '../../src/shared/api/export.ts';
import { PlanDetail } from '../../src/shared/api/plans.ts';
import { ActionDetail, PlanOverview } from '../../src/shared/api/review.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

describe(`an action's reference on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let hor: Session;

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    hor = await signIn(t.app, 'hor.demo');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is worked out the same in SQL as in the shared code, archived actions included', async () => {
    const cases = [
      ['1', 0], ['1', 2], ['5.12', 0], ['2, part', 10], ['1', -1], ['3', -4],
    ] as const;
    for (const [ref, position] of cases) {
      const [row] = await t.db.query<{ ref: string }>(`SELECT ${ACTION_REF_SQL} AS ref FROM (SELECT $1::text AS ref) r, (SELECT $2::int AS position) a`, [
        ref,
        position,
      ]);
      expect(row?.ref).toBe(actionRef(ref, position));
    }
  });

  it('names each live action of a plan once, never by its concern alone', async () => {
    const plan = PlanDetail.parse((await call(t.app, hor, 'GET', `/api/plans/${world.demoPlanId}`)).json());
    const refs = plan.recommendations.flatMap((r) => r.actions.map((a) => a.ref));
    expect(new Set(refs).size).toBe(refs.length);
    for (const rec of plan.recommendations) {
      rec.actions.forEach((a, i) => {
        expect(a.ref).toBe(`${rec.ref}.${i + 1}`);
      });
    }
  });

  it('is the same on the action page, in the plan, the overview, the CSV and the PDF', async () => {
    const plan = PlanDetail.parse((await call(t.app, hor, 'GET', `/api/plans/${world.demoPlanId}`)).json());
    // The third action of the first concern with three or more: "N.3", never "N".
    const rec = plan.recommendations.find((r) => r.actions.length >= 3);
    const action = rec?.actions[2];
    if (!rec || !action) throw new Error('the demo plan has no concern with three actions');
    const expected = `${rec.ref}.3`;
    expect(action.ref).toBe(expected);

    const refs = await evidenceRefs(t.db, world.demoId);
    const dg = await signIn(t.app, 'dg.demo');
    const mutation = checkMutation({ ...refs, actionId: action.id }, 'ref-test-device', 1, {
      startedAt: '2026-11-20T09:00:00.000Z',
      submittedAt: '2026-11-20T09:10:00.000Z',
    });
    const pushed = await call(t.app, dg, 'POST', '/api/sync/push', { protocol: PROTOCOL_VERSION, clientId: 'ref-test-device', mutations: [mutation] });
    expect(PushResponse.parse(pushed.json()).results[0]?.status).toBe('applied');

    const detail = ActionDetail.parse((await call(t.app, hor, 'GET', `/api/actions/${action.id}`)).json());
    expect(detail.ref).toBe(expected);
    expect(detail.concernRef).toBe(rec.ref);
    const overview = PlanOverview.parse((await call(t.app, hor, 'GET', `/api/plans/${world.demoPlanId}/overview`)).json());
    expect(overview.actions.find((a) => a.id === action.id)?.ref).toBe(expected);

    const request: ExportRequest = { scope: { kind: 'action', id: action.id }, from: '2026-11-01', to: '2026-11-30' };
    const csv = await call(t.app, hor, 'GET', exportPath('csv', request));
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`evidence-action-${expected}-`);
    const rows = Papa.parse<Record<string, string>>(csv.body.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row['Action refs']).toBe(expected);
    const pdf = await call(t.app, hor, 'GET', exportPath('pdf', request));
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-disposition']).toContain(`evidence-action-${expected}-`);
  });
});
