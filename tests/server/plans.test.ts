import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanAssignments, PlanDetail, PlanDiffResponse, PlanSummary } from '../../src/shared/api/plans.ts';
import { ParsedPlan } from '../../src/shared/plan-import/schema.ts';
import type { TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, startWorld, type Session, type World } from './support/world.ts';

const FIXTURE = readFileSync(new URL('../../fixtures/action-plans/werrington-2020-action-plan.txt', import.meta.url));

describe(`importing plans on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    ({ t, admin } = await startWorld());
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
    // The plan says "Completed": a claim to prove, not a status. It is complete once the head of residence says so.
    expect(detail.recommendations[0]?.actions[0]).toMatchObject({ owner: 'Head of Residence', target: 'Completed', status: 'not-started' });
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

describe(`revising a plan on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  let planId: string;
  beforeAll(async () => {
    let world: World;
    ({ t, world, admin } = await startWorld());
    planId = world.demoPlanId;
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the differences, then applies them keeping ids, and archives what was dropped', async () => {
    const before = PlanDetail.parse((await call(t.app, admin, 'GET', `/api/plans/${planId}`)).json());
    const revised = ParsedPlan.parse(
      (
        await call(t.app, admin, 'POST', '/api/plans/parse', readFileSync(new URL('../../fixtures/action-plans/werrington-2025-action-plan.txt', import.meta.url)), {
          headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'werrington-2025-revised.txt' },
        })
      ).json(),
    );
    const rec1 = revised.recommendations[0];
    const rec8 = revised.recommendations[7];
    if (!rec1 || !rec8) throw new Error('fixture changed');
    rec1.actions[0] = { ...rec1.actions[0], owner: 'Head of Residence' } as (typeof rec1.actions)[number];
    rec1.actions.push({ text: 'Daily servery checks of food temperature on every unit.', owner: 'Head of Residence', target: 'Ongoing', due: null, complete: false });
    rec8.actions.pop();
    revised.recommendations.splice(6, 1); // concern 7 dropped from the revision

    const diff = PlanDiffResponse.parse((await call(t.app, admin, 'POST', `/api/plans/${planId}/diff`, { plan: revised })).json());
    expect(diff.changed.map((c) => [c.ref, c.before.owner, c.after.owner])).toEqual([['1', 'Governor', 'Head of Residence']]);
    expect(diff.added.map((a) => [a.ref, a.action.text])).toEqual([['1', 'Daily servery checks of food temperature on every unit.']]);
    expect(diff.removed).toHaveLength(11 + 1);

    const applied = await call(t.app, admin, 'PUT', `/api/plans/${planId}`, { plan: revised });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toEqual({ version: 2, added: 1, changed: 1, archived: 12, unchanged: 66 - 12 - 1 });

    const after = PlanDetail.parse((await call(t.app, admin, 'GET', `/api/plans/${planId}`)).json());
    expect(after.recommendations.map((r) => r.ref)).toEqual(['1', '2', '3', '4', '5', '6', '8']);
    expect(after.actions).toBe(66 - 12 + 1);
    // The same actions keep their ids: evidence and assignments recorded against them stay.
    const idsBefore = new Map(before.recommendations.flatMap((r) => r.actions.map((a) => [a.text, a.id])));
    for (const action of after.recommendations.flatMap((r) => r.actions)) {
      if (action.text.startsWith('Daily servery checks of food temperature')) continue;
      expect(action.id).toBe(idsBefore.get(action.text));
    }
    expect(after.recommendations[0]?.actions[0]).toMatchObject({ id: before.recommendations[0]?.actions[0]?.id, owner: 'Head of Residence' });
    // Nothing was deleted.
    const [archived] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM actions WHERE status = 'archived'");
    expect(archived?.n).toBe(12);
    const audit = (await call(t.app, admin, 'GET', '/api/audit?limit=1')).json<{ action: string }[]>();
    expect(audit[0]?.action).toBe('plan.revise');
  });

  it('applying the same revision again changes nothing', async () => {
    const detail = PlanDetail.parse((await call(t.app, admin, 'GET', `/api/plans/${planId}`)).json());
    const same = {
      source: 'same.txt',
      establishment: null,
      warnings: [],
      recommendations: detail.recommendations.map((r) => ({
        ref: r.ref,
        section: null,
        category: r.category,
        concern: r.concern,
        recommendation: r.recommendation,
        agreement: r.agreement,
        directedTo: null,
        actions: r.actions.map((a) => ({ text: a.text, owner: a.owner, target: a.target, due: a.due, complete: a.status === 'complete' })),
      })),
    };
    const res = await call(t.app, admin, 'PUT', `/api/plans/${planId}`, { plan: same });
    expect(res.json()).toMatchObject({ added: 0, changed: 0, archived: 0, unchanged: detail.actions });
  });
});

describe(`assigning actions on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  let world: World;
  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
  });
  afterAll(async () => {
    await t.close();
  });

  it("suggests assignees from job titles, saves the admin's choice, and audits it", async () => {
    const url = `/api/plans/${world.demoPlanId}/assignments`;
    const before = PlanAssignments.parse((await call(t.app, admin, 'GET', url)).json());
    const governor = before.people.find((p) => p.jobTitle === 'Governor');
    const hor = before.people.find((p) => p.jobTitle === 'Head of Residence');
    if (!governor || !hor) throw new Error('demo users missing');
    const first = before.actions[0];
    expect(first).toMatchObject({ ref: '1.1', owner: 'Governor', assigneeId: null, suggestion: { userId: governor.id, reason: 'job-title' } });
    // "Governor / Education Provider / NHSE": the first title someone holds.
    expect(before.actions.find((a) => a.ref === '3.1')?.suggestion).toMatchObject({ userId: governor.id, reason: 'job-title' });

    const res = await call(t.app, admin, 'PUT', url, {
      assignments: [
        { actionId: first?.actionId ?? '', assigneeId: hor.id },
        { actionId: before.actions[1]?.actionId ?? '', assigneeId: governor.id },
      ],
    });
    expect(res.json()).toEqual({ updated: 2 });
    const after = PlanAssignments.parse((await call(t.app, admin, 'GET', url)).json());
    expect(after.actions.slice(0, 2).map((a) => a.assigneeId)).toEqual([hor.id, governor.id]);
    const audit = (await call(t.app, admin, 'GET', '/api/audit?limit=2')).json<{ action: string }[]>();
    expect(audit.map((a) => a.action)).toEqual(['action.assign', 'action.assign']);
    // Saving the same again changes nothing.
    expect((await call(t.app, admin, 'PUT', url, { assignments: [{ actionId: first?.actionId ?? '', assigneeId: hor.id }] })).json()).toEqual({ updated: 0 });
  });

  it('refuses an assignee from another establishment', async () => {
    const url = `/api/plans/${world.demoPlanId}/assignments`;
    const { actions } = PlanAssignments.parse((await call(t.app, admin, 'GET', url)).json());
    const res = await call(t.app, admin, 'PUT', url, { assignments: [{ actionId: actions[0]?.actionId ?? '', assigneeId: world.userIds['admin.other'] ?? '' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toBe('An assignee does not work in this establishment.');
  });
});
