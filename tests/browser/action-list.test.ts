// The Actions screen's data, read from real IndexedDB: what the device holds of each action's evidence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionDetailFromDevice, listActions } from '../../src/data/action-list.ts';
import { db, type ActionRow, type CheckRow } from '../../src/data/db.ts';
import { saveReading } from '../../src/data/readings.ts';
import { saveReference } from '../../src/data/reference.ts';
import { saveSession } from '../../src/data/session-store.ts';

const ESTABLISHMENT = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e10';
const PLAN = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e20';
const REC = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e30';
const ids = ['0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e41', '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e42', '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e43'];
const [FIRST = '', SECOND = '', GONE = ''] = ids;
const ME = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e0f';

const info = {
  user: { id: ME, username: 'dg.demo', displayName: 'Dana Governor' },
  roles: ['duty-governor' as const],
  establishment: { id: ESTABLISHMENT, name: 'HMP Demo', timeZone: 'Europe/London' },
  establishments: [{ id: ESTABLISHMENT, name: 'HMP Demo', roles: ['duty-governor' as const] }],
  unitIds: [],
  csrfToken: 'token',
  mustChangePassword: false,
};

function action(id: string, position: number, status = 'not-started'): ActionRow {
  return { id, planId: PLAN, recommendationId: REC, position, text: `Action ${position}`, owner: null, target: null, due: null, status, assigneeId: ME, assigneeName: 'Dana Governor', version: 1 };
}

let n = 0;
function check(overrides: Partial<CheckRow>): CheckRow {
  n += 1;
  const at = `2026-11-${String(10 + n).padStart(2, '0')}T10:00:00.000Z`;
  return {
    id: `0190e6a4-1c2b-7d3e-8f40-${String(n).padStart(12, '0')}`, kind: 'check', status: 'submitted', authorId: ME, templateVersionId: null, scheduleId: null, dueOn: null,
    unitId: null, landing: null, actionIds: [], answers: [], note: '', lastItemId: null, startedAt: at, updatedAt: at, submittedAt: at, supersedes: null,
    ...overrides,
  };
}

beforeEach(async () => {
  await saveSession(info);
  await db.plans.put({ id: PLAN, establishmentId: ESTABLISHMENT, title: 'Plan', version: 1 });
  await db.recommendations.put({ id: REC, planId: PLAN, ref: '3', position: 0, section: null, category: 'Key concern', concern: 'Not enough time out', recommendation: null });
  await db.actions.bulkPut([action(FIRST, 0), action(SECOND, 1), action(GONE, -3, 'archived')]);
});

afterEach(async () => {
  for (const table of db.tables) await table.clear();
});

describe('the actions a device holds', () => {
  it('names each live action by its reference and counts its submitted evidence, not drafts, with the newest decision', async () => {
    const a = check({ actionIds: [FIRST, SECOND] });
    const b = check({ actionIds: [FIRST], remote: { authorName: 'Sam Officer', receivedAt: '2026-11-20T10:00:00Z', photos: [] } });
    await db.checks.bulkPut([a, b, check({ actionIds: [FIRST], status: 'draft', submittedAt: null })]);
    await db.reviews.bulkPut([
      { id: 'r1', checkId: a.id, decision: 'accepted', reason: null, reviewerName: 'Harper', reviewedAt: '2026-11-21T09:00:00Z' },
      { id: 'r2', checkId: b.id, decision: 'returned', reason: 'Blurred', reviewerName: 'Harper', reviewedAt: '2026-11-22T09:00:00Z' },
    ]);
    const list = await listActions();
    expect(list.map((x) => [x.ref, x.evidenceCount, x.latestDecision?.decision ?? null])).toEqual([
      ['3.1', 2, 'returned'],
      ['3.2', 1, 'accepted'],
    ]);
    expect(list[0]).toMatchObject({ concernRef: '3', concern: 'Not enough time out', planTitle: 'Plan', assigneeName: 'Dana Governor' });
  });

  it('makes an action’s review page from the device, newest evidence first, naming who made it', async () => {
    const mine = check({ actionIds: [FIRST] });
    const theirs = check({ actionIds: [FIRST], remote: { authorName: 'Sam Officer', receivedAt: '2026-11-20T10:00:00Z', photos: [] } });
    await db.checks.bulkPut([mine, theirs]);
    const detail = await actionDetailFromDevice(FIRST, { id: ME, displayName: 'Dana Governor' });
    expect(detail).toMatchObject({ ref: '3.1', concernRef: '3', evidenceTotal: 2, acceptedEvidence: 0 });
    expect(detail?.evidence.map((e) => [e.id, e.authorName])).toEqual([[theirs.id, 'Sam Officer'], [mine.id, 'Dana Governor']]);
    expect(await actionDetailFromDevice(GONE, { id: ME, displayName: 'Dana Governor' })).toBeNull();
  });
});

describe('answers that arrive after signing out', () => {
  it('are dropped: reference data and kept readings are written only while the person is signed in', async () => {
    await db.meta.delete('user');
    await saveReading('/api/plans', [], new Date());
    await saveReference({ establishmentId: ESTABLISHMENT, units: [], plans: [], templates: [], schedules: [] }, new Date());
    expect(await db.readings.count()).toBe(0);
    expect(await db.meta.get('referenceRefreshedAt')).toBeUndefined();
    // Signed in again: both are kept.
    await saveSession(info);
    await saveReading('/api/plans', [], new Date());
    await saveReference({ establishmentId: ESTABLISHMENT, units: [], plans: [], templates: [], schedules: [] }, new Date());
    expect(await db.readings.count()).toBe(1);
    expect(await db.meta.get('referenceRefreshedAt')).toBeDefined();
  });
});
