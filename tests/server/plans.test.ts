import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanDetail, PlanSummary } from '../../src/shared/api/plans.ts';
import { ParsedPlan } from '../../src/shared/plan-import/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { buildWorld, call, signIn, type Session } from './support/world.ts';

const FIXTURE = readFileSync(new URL('../../fixtures/action-plans/werrington-2020-action-plan.txt', import.meta.url));

describe(`importing plans on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await startTestApp();
    await buildWorld(t.db);
    admin = await signIn(t.app, 'admin.demo');
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (bytes: Buffer, name: string) =>
    call(t.app, admin, 'POST', '/api/plans/parse', bytes, { headers: { 'content-type': 'application/octet-stream', 'x-file-name': name } });

  it('previews an uploaded plan, stores the corrected version, and lists its actions in order', async () => {
    const preview = await upload(FIXTURE, 'werrington-2020-action-plan.txt');
    expect(preview.statusCode).toBe(200);
    const plan = ParsedPlan.parse(preview.json());
    expect(plan.recommendations).toHaveLength(20);

    const first = plan.recommendations[0]?.actions[0];
    if (first) first.owner = 'Head of Residence';
    const stored = await call(t.app, admin, 'POST', '/api/plans', { title: 'HMYOI Werrington 2020', plan });
    expect(stored.statusCode, stored.body).toBe(201);
    const summary = PlanSummary.parse(stored.json());
    expect(summary).toMatchObject({ title: 'HMYOI Werrington 2020', recommendations: 20, actions: 38 });

    const detail = PlanDetail.parse((await call(t.app, admin, 'GET', `/api/plans/${summary.id}`)).json());
    expect(detail.recommendations.map((r) => r.ref)).toEqual(plan.recommendations.map((r) => r.ref));
    expect(detail.recommendations[0]?.actions[0]).toMatchObject({ owner: 'Head of Residence', target: 'Completed', status: 'complete' });
    expect(detail.recommendations[0]?.actions[1]).toMatchObject({ target: 'November 2020', due: '2020-11-30', status: 'not-started' });

    const audit = (await call(t.app, admin, 'GET', '/api/audit?limit=1')).json<{ action: string; details: Record<string, unknown> }[]>();
    expect(audit[0]).toMatchObject({ action: 'plan.import', details: { recommendations: 20, actions: 38 } });
  });

  it('answers a file it cannot read with 422 and the reason', async () => {
    const res = await upload(Buffer.from('Dear Governor,\nThank you.'), 'letter.txt');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'unreadable_plan', message: expect.stringMatching(/^letter\.txt: no action table found/) as unknown });
  });

  it('refuses an edited plan that breaks the schema, naming the field', async () => {
    const plan = ParsedPlan.parse((await upload(FIXTURE, 'p.txt')).json());
    const broken = { title: 'x', plan: { ...plan, recommendations: [{ ...plan.recommendations[0], actions: [{ text: '', owner: null, target: null, due: 'soon', complete: false }] }] } };
    const res = await call(t.app, admin, 'POST', '/api/plans', broken);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/plan\.recommendations\.0\.actions\.0\.(text|due)/);
  });
});
