import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageCellChecks, CoverageResponse, type UnitCoverage } from '../../src/shared/api/coverage.ts';
import { decodeCells } from '../../src/shared/coverage-compact.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { addDays } from '../../src/shared/coverage.ts';
import { weeklyFigures } from '../../src/shared/dashboard.ts';
import { PROTOCOL_VERSION, type SubmitCheckPayload } from '../../src/shared/mutations.ts';
import type { Answer } from '../../src/shared/templates/schema.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

// The week before the test clock's Monday 23 November 2026 (GMT, so UTC times are London times).
const WEEK = 'from=2026-11-16&to=2026-11-22';

/** A daily servery check's answers, all passing unless a reading is given. */
function serveryAnswers(collectionTemp = 72): Answer[] {
  const passes = ['servery-clean', 'servery-workers-dressed', 'hot-trolley-clean', 'food-quality', 'portion-control'];
  return [
    ...passes.map((itemId): Answer => ({ itemId, value: 'pass' })),
    { itemId: 'temp-collection', value: collectionTemp, ...(collectionTemp < 63 ? { note: 'Sent back and reheated to 75 °C.' } : {}) },
    { itemId: 'temp-serving', value: 70 },
    { itemId: 'comments-book-available', value: true },
  ];
}

describe(`coverage on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let hor: Session;
  let refs: EvidenceRefs;
  let scheduleId: string;
  const pushed: Record<string, string> = {};

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    // The demo's units are created when the test runs; coverage counts only days a unit existed.
    await t.db.query("UPDATE units SET created_at = '2025-01-01T12:00:00Z' WHERE establishment_id = $1", [world.demoId]);
    const [servery] = await t.db.query<{ schedule_id: string; version_id: string }>(
      `SELECT s.id AS schedule_id, v.id AS version_id FROM schedules s JOIN templates t ON t.id = s.template_id
       JOIN template_versions v ON v.template_id = t.id WHERE s.establishment_id = $1 AND t.key = 'daily-servery-check'`,
      [world.demoId],
    );
    if (!servery) throw new Error('the demo has no daily servery schedule');
    scheduleId = servery.schedule_id;
    refs = { ...(await evidenceRefs(t.db, world.demoId)), templateVersionId: servery.version_id, unitId: world.demoUnitId };
    hor = await signIn(t.app, 'hor.demo');

    const so = await signIn(t.app, 'so.demo');
    const check = (name: string, seq: number, overrides: Partial<SubmitCheckPayload>) => {
      const mutation = checkMutation(refs, 'so-tablet', seq, { scheduleId, answers: serveryAnswers(), ...overrides });
      pushed[name] = mutation.payload.checkId;
      return mutation;
    };
    const mutations = [
      check('onTime', 1, { dueOn: '2026-11-16', startedAt: '2026-11-16T11:50:00.000Z', submittedAt: '2026-11-16T12:00:00.000Z' }),
      // Half past midnight: the 17th had ended.
      check('late', 2, { dueOn: '2026-11-17', startedAt: '2026-11-18T00:20:00.000Z', submittedAt: '2026-11-18T00:30:00.000Z' }),
      check('coldFood', 3, { dueOn: '2026-11-18', answers: serveryAnswers(55), submittedAt: '2026-11-18T12:00:00.000Z' }),
      check('mistyped', 4, { dueOn: '2026-11-19', answers: serveryAnswers(7), submittedAt: '2026-11-19T12:00:00.000Z' }),
    ];
    mutations.push(check('corrected', 5, { dueOn: '2026-11-19', submittedAt: '2026-11-19T12:10:00.000Z', supersedes: pushed.mistyped ?? null }));
    const res = await call(t.app, so, 'POST', '/api/sync/push', { clientId: 'so-tablet', protocol: PROTOCOL_VERSION, mutations });
    expect(PushResponse.parse(res.json()).results.map((r) => r.reason ?? r.status)).toEqual(Array(5).fill('applied'));
  });

  afterAll(async () => {
    await t.close();
  });

  const coverage = async (session: Session, query: string) => {
    const res = await call(t.app, session, 'GET', `/api/coverage?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return CoverageResponse.parse(res.json());
  };

  const states = (unit: UnitCoverage | undefined) => decodeCells(unit?.cells ?? '').map((c) => c.state);

  /** The checks behind a cell, as the screen reads them when it is opened. */
  const cellChecks = async (query: string, unitId: string, day: string, scheduleOf = scheduleId) => {
    const res = await call(t.app, hor, 'GET', `/api/coverage/checks?${query}&scheduleId=${scheduleOf}&unitId=${unitId}&day=${day}`);
    expect(res.statusCode, res.body).toBe(200);
    return CoverageCellChecks.parse(res.json()).checks;
  };

  const aWing = async (): Promise<UnitCoverage> => {
    const answer = await coverage(hor, `${WEEK}&scheduleId=${scheduleId}`);
    const unit = answer.schedules[0]?.units.find((u) => u.unitId === world.demoUnitId);
    if (!unit) throw new Error('no A Wing row');
    return unit;
  };

  it('shows each day of a unit: done, late, a failed reading, a correction counted once, then missed days', async () => {
    const unit = await aWing();
    expect(unit.name).toBe('A Wing');
    expect(states(unit)).toEqual(['done', 'late', 'failed', 'done', 'missed', 'missed', 'missed']);
    expect(decodeCells(unit.cells).map((c) => c.shown)).toEqual([true, true, true, true, false, false, false]);
    expect(await cellChecks(WEEK, world.demoUnitId, '2026-11-16')).toEqual([
      {
        id: pushed.onTime,
        state: 'done',
        authorName: 'Sam Officer (demo)',
        submittedAt: '2026-11-16T12:00:00.000Z',
        supersedes: null,
        supersededBy: null,
      },
    ]);
    expect((await cellChecks(WEEK, world.demoUnitId, '2026-11-19')).map((c) => [c.id, c.state, c.supersededBy])).toEqual([
      [pushed.mistyped, 'failed', pushed.corrected],
      [pushed.corrected, 'done', null],
    ]);
    expect(unit.summary).toEqual({
      expected: 7, recorded: 4, done: 2, late: 1, failed: 1, missed: 3, explained: 0, percent: 57, percentUnexplained: 57,
    });
  });

  // The reported bug: a duty governor's checks through "Run another check" (no schedule, no due date) counted nowhere.
  describe('checks run outside any schedule', () => {
    // Monday 9 to Sunday 15 November 2026, GMT.
    const EARLIER_WEEK = 'from=2026-11-09&to=2026-11-15';
    const adHoc = { coldFood: '', typo: '', fix: '', tuesdayClean: '' };
    const fifteen: string[] = [];

    beforeAll(async () => {
      const dg = await signIn(t.app, 'dg.demo');
      const weeklyClean = await evidenceRefs(t.db, world.demoId);
      let seq = 0;
      const check = (overrides: Partial<SubmitCheckPayload>) => {
        seq += 1;
        return checkMutation(refs, 'dg-tablet', seq, { scheduleId: null, dueOn: null, answers: serveryAnswers(), ...overrides });
      };
      const coldFood = check({ answers: serveryAnswers(58), startedAt: '2026-11-09T12:00:00.000Z', submittedAt: '2026-11-09T12:05:00.000Z' });
      const again = Array.from({ length: 15 }, (_, i) => {
        const minute = String(i * 2).padStart(2, '0');
        return check({ startedAt: `2026-11-10T12:${minute}:00.000Z`, submittedAt: `2026-11-10T12:${minute}:30.000Z` });
      });
      // A typo at 9 pm, corrected the next morning from the check's own page.
      const typo = check({ answers: serveryAnswers(7), startedAt: '2026-11-11T21:00:00.000Z', submittedAt: '2026-11-11T21:05:00.000Z' });
      const fix = check({ startedAt: '2026-11-12T08:00:00.000Z', submittedAt: '2026-11-12T08:05:00.000Z', supersedes: typo.payload.checkId });
      // The weekly unit clean, due on Mondays, done on Tuesday (its template's own passing answers).
      seq += 1;
      const tuesdayClean = checkMutation({ ...weeklyClean, unitId: world.demoUnitId }, 'dg-tablet', seq, {
        startedAt: '2026-11-10T10:00:00.000Z',
        submittedAt: '2026-11-10T10:10:00.000Z',
      });
      const mutations = [coldFood, ...again, typo, fix, tuesdayClean];
      const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'dg-tablet', protocol: PROTOCOL_VERSION, mutations });
      expect(PushResponse.parse(res.json()).results.map((r) => r.reason ?? r.status)).toEqual(Array(mutations.length).fill('applied'));
      adHoc.coldFood = coldFood.payload.checkId;
      adHoc.typo = typo.payload.checkId;
      adHoc.fix = fix.payload.checkId;
      adHoc.tuesdayClean = tuesdayClean.payload.checkId;
      fifteen.push(...again.map((m) => m.payload.checkId));
    });

    it('shows a failing ad hoc check as failed in its unit’s cell, and the dashboard counts it', async () => {
      const answer = await coverage(hor, `${EARLIER_WEEK}&scheduleId=${scheduleId}`);
      const unit = answer.schedules[0]?.units.find((u) => u.unitId === world.demoUnitId);
      expect(states(unit)).toEqual(['failed', 'done', 'done', 'missed', 'missed', 'missed', 'missed']);
      expect(await cellChecks(EARLIER_WEEK, world.demoUnitId, '2026-11-09')).toEqual([
        {
          id: adHoc.coldFood,
          state: 'failed',
          authorName: 'Dana Governor (demo)',
          submittedAt: '2026-11-09T12:05:00.000Z',
          supersedes: null,
          supersededBy: null,
        },
      ]);
      expect(unit?.summary).toEqual({
        expected: 7, recorded: 3, done: 2, late: 0, failed: 1, missed: 4, explained: 0, percent: 42, percentUnexplained: 42,
      });
      // Four residential wings × 7 days expected; A Wing's three days recorded.
      expect(weeklyFigures(answer)).toEqual([
        { weekStart: '2026-11-09', expected: 28, recorded: 3, percent: 10, checks: 17, checksWithFailures: 1 },
      ]);
    });

    it('counts fifteen checks of one unit and day as one day done but fifteen checks', async () => {
      const answer = await coverage(hor, `${EARLIER_WEEK}&scheduleId=${scheduleId}`);
      expect(states(answer.schedules[0]?.units.find((u) => u.unitId === world.demoUnitId))[1]).toBe('done');
      expect((await cellChecks(EARLIER_WEEK, world.demoUnitId, '2026-11-10')).map((c) => c.id)).toEqual(fifteen);
    });

    it('counts an ad hoc check corrected the next morning once, on the day it was done', async () => {
      const unit = (await coverage(hor, `${EARLIER_WEEK}&scheduleId=${scheduleId}`)).schedules[0]?.units.find((u) => u.unitId === world.demoUnitId);
      // On Wednesday's cell, so for Wednesday: no day of its own.
      expect((await cellChecks(EARLIER_WEEK, world.demoUnitId, '2026-11-11')).map((c) => [c.id, c.state, c.day, c.supersededBy])).toEqual([
        [adHoc.typo, 'failed', undefined, adHoc.fix],
        [adHoc.fix, 'done', undefined, null],
      ]);
      expect(decodeCells(unit?.cells ?? '')[3]).toEqual({ state: 'missed', expected: true, shown: false });
      expect(await cellChecks(EARLIER_WEEK, world.demoUnitId, '2026-11-12')).toEqual([]);
      const stored = await t.db.query<{ id: string; day: string }>(
        "SELECT id, to_char(day, 'YYYY-MM-DD') AS day FROM checks WHERE id = ANY($1::uuid[]) ORDER BY started_at",
        [[adHoc.typo, adHoc.fix]],
      );
      expect(stored).toEqual([{ id: adHoc.typo, day: '2026-11-11' }, { id: adHoc.fix, day: '2026-11-11' }]);
    });

    it('counts the Monday weekly clean done on Tuesday as Monday’s, late, and every check once on the dashboard', async () => {
      const answer = await coverage(hor, EARLIER_WEEK);
      const weekly = answer.schedules.find((s) => s.frequency.every === 'week' && s.templateTitle === 'Weekly unit cleaning checklist');
      const unit = weekly?.units.find((u) => u.unitId === world.demoUnitId);
      expect(states(unit)).toEqual(['late', 'not-due', 'not-due', 'not-due', 'not-due', 'not-due', 'not-due']);
      const monday = await cellChecks(EARLIER_WEEK, world.demoUnitId, '2026-11-09', weekly?.scheduleId);
      expect(monday.map((c) => [c.id, c.day])).toEqual([[adHoc.tuesdayClean, '2026-11-10']]);
      expect(unit?.summary).toMatchObject({ expected: 1, recorded: 1, late: 1 });
      const [week] = weeklyFigures(answer);
      expect(week).toMatchObject({ weekStart: '2026-11-09', checks: 18, checksWithFailures: 1 });
    });
  });

  it('describes every schedule in use, with its template and frequency, and today as due', async () => {
    const answer = await coverage(hor, 'from=2026-11-22&to=2026-11-23');
    expect(answer).toMatchObject({ from: '2026-11-22', to: '2026-11-23', today: '2026-11-23', timeZone: 'Europe/London' });
    const servery = answer.schedules.find((s) => s.scheduleId === scheduleId);
    expect(servery).toMatchObject({ templateTitle: 'Daily servery check', frequency: { every: 'day' } });
    // Residential units only, by name.
    expect(servery?.units.map((u) => u.name)).toEqual(['A Wing', 'B Wing', 'C Wing', 'D Wing']);
    expect(states(servery?.units[0])).toEqual(['missed', 'due']);
    expect(answer.schedules.map((s) => s.templateTitle)).toContain('Weekly unit cleaning checklist');
  });

  it('gives each cell the state its own checks make, and opens only cells in the period, of a unit and schedule of its own', async () => {
    for (const query of [WEEK, 'from=2026-11-09&to=2026-11-15']) {
      const answer = await coverage(hor, query);
      const days = answer.schedules.length > 0 ? Array.from({ length: 7 }, (_, i) => addDays(answer.from, i)) : [];
      for (const schedule of answer.schedules) {
        for (const unit of schedule.units) {
          for (const [i, cell] of decodeCells(unit.cells).entries()) {
            if (!cell.shown) continue;
            const checks = await cellChecks(query, unit.unitId, days[i] ?? '', schedule.scheduleId);
            const standing = checks.filter((c) => c.supersededBy === null);
            const state = standing.length === 0 ? cell.state
              : standing.some((c) => c.state === 'failed') ? 'failed' : standing.some((c) => c.state === 'done') ? 'done' : 'late';
            expect(checks.length, `${schedule.templateTitle} ${unit.name} ${days[i]}`).toBeGreaterThan(0);
            expect(cell.state, `${schedule.templateTitle} ${unit.name} ${days[i]}`).toBe(state);
          }
        }
      }
    }
    const outside = await call(t.app, hor, 'GET', `/api/coverage/checks?${WEEK}&scheduleId=${scheduleId}&unitId=${world.demoUnitId}&day=2026-11-23`);
    expect(outside.statusCode).toBe(400);
    expect(outside.json<{ message: string }>().message).toContain('is not in the period');
    const [elsewhere] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1 LIMIT 1', [world.elsewhereId]);
    const theirs = await call(t.app, hor, 'GET', `/api/coverage/checks?${WEEK}&scheduleId=${scheduleId}&unitId=${elsewhere?.id ?? ''}&day=2026-11-18`);
    expect(theirs.statusCode).toBe(403);
  });

  it('is for the head of residence and admins only', async () => {
    for (const username of ['so.demo', 'dg.demo']) {
      const res = await call(t.app, await signIn(t.app, username), 'GET', `/api/coverage?${WEEK}`);
      expect(res.statusCode, username).toBe(403);
    }
    expect((await coverage(await signIn(t.app, 'admin.demo'), WEEK)).schedules.length).toBeGreaterThan(0);
  });

  it('shows another establishment none of this', async () => {
    const other = await signIn(t.app, 'admin.other');
    const res = await call(t.app, other, 'GET', `/api/coverage?${WEEK}`);
    expect(res.statusCode).toBe(200);
    for (const id of [scheduleId, world.demoUnitId, ...Object.values(pushed)]) expect(res.body).not.toContain(id);
    expect(CoverageResponse.parse(res.json()).schedules).toEqual([]);
    const asked = await call(t.app, other, 'GET', `/api/coverage?${WEEK}&scheduleId=${scheduleId}`);
    expect(asked.statusCode).toBe(403);
  });

  it('refuses a period over 366 days, one that ends before it starts, and dates that are not dates', async () => {
    const tooLong = await call(t.app, hor, 'GET', '/api/coverage?from=2026-01-01&to=2027-01-02');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ message: string }>().message).toContain('367 days long: choose at most 366 days');
    expect((await call(t.app, hor, 'GET', '/api/coverage?from=2026-01-01&to=2027-01-01')).statusCode).toBe(200);
    const backwards = await call(t.app, hor, 'GET', '/api/coverage?from=2026-11-22&to=2026-11-16');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ message: string }>().message).toContain('must end on or after the day it starts');
    const notADate = await call(t.app, hor, 'GET', '/api/coverage?from=22/11/2026&to=2026-11-23');
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json<{ message: string }>().message).toContain('from must be a date written as YYYY-MM-DD');
    expect((await call(t.app, hor, 'GET', '/api/coverage?from=2026-11-16')).statusCode).toBe(400);
  });
});
