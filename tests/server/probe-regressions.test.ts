import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION, type PhotoRef } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { ACTORS, ROUTES, USERNAMES, type Actor, type RouteRow } from './support/routes.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, PASSWORD, signIn, startWorld, type Session, type World } from './support/world.ts';

/**
 * The hostile-input probe's findings (issue 15), one by one, as it sent them: each answered a 500,
 * stalled a device's outbox or was stored when it should not have been. Every one must now be
 * refused with a 4xx in the app's error shape, or (inside a push) rejected alone with a reason
 * naming the field, while the rest of the batch is stored.
 */
describe(`the probe's findings, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let dg: Session;
  let refs: EvidenceRefs;
  const sessions = new Map<string, Session>();
  const sessionOf = async (username: string) => {
    const known = sessions.get(username);
    if (known) return known;
    const made = await signIn(t.app, username);
    sessions.set(username, made);
    return made;
  };

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    dg = await sessionOf('dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectRefused = (res: { statusCode: number; body: string }, field?: RegExp) => {
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    const body = JSON.parse(res.body) as { error: string; code: string; message: string; issues: unknown[] };
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'issues', 'message']);
    if (field) expect(body.message).toMatch(field);
  };

  it('rejects each bad mutation in a push alone, naming the field, and stores the ones around it', async () => {
    const clientId = 'tablet-probe';
    await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } });
    const photo: PhotoRef = { sha256: PHOTO_SHA, mime: 'image/jpeg', size: PHOTO.length, width: 1200, height: 1600, itemId: null };
    let seq = 1;
    const check = (overrides: Parameters<typeof checkMutation>[3] = {}) => checkMutation(refs, clientId, seq++, overrides);
    const pass = (itemId: string) => ({ itemId, value: 'pass' as const });
    const good = check();
    const cases = {
      nulInNote: check({ answers: [{ ...pass('walls-windows'), note: 'Dusty\u0000 ledges' }, pass('servery-deep-clean'), pass('bins-drains'), pass('cleaning-materials')] }),
      loneSurrogate: check({ landing: 'The 2s \uD800' }),
      yearZero: check({ dueOn: '0000-01-01' }),
      twoAnswers: check({ answers: [pass('walls-windows'), { itemId: 'walls-windows', value: 'fail' as const, note: 'Dirty' }, pass('servery-deep-clean'), pass('bins-drains'), pass('cleaning-materials')] }),
      year9999: { ...check({ startedAt: '2026-11-23T09:00:00.000Z', submittedAt: '9999-12-31T23:59:59.000Z' }), createdAt: '2026-11-23T09:10:00.000Z' },
      startedAfterSubmitted: check({ startedAt: '2026-11-23T10:00:00.000Z', submittedAt: '2026-11-23T09:00:00.000Z' }),
      photoItemNotInTemplate: check({ photos: [{ ...photo, itemId: 'no-such-item' }] }),
      photoSizeLies: check({ photos: [{ ...photo, size: PHOTO.length + 1 }] }),
      photoDimensionsLie: check({ photos: [{ ...photo, width: 4000, height: 3000 }] }),
    };
    const last = check();
    const deepId = newId();
    const mutations = [good, ...Object.values(cases), last];
    // The deepest (300,000 levels) is written as text: nothing here could build it as an object and stringify it.
    const deep = `${'{"a":'.repeat(300_000)}1${'}'.repeat(300_000)}`;
    const deepMutation = { id: deepId, clientId, seq: seq++, type: 'note.add', payload: '__DEEP__', createdAt: '2026-11-23T09:00:00.000Z' };
    const sent = [...mutations.slice(0, 1), deepMutation, ...mutations.slice(1)];
    const body = JSON.stringify({ clientId, protocol: PROTOCOL_VERSION, mutations: sent })
      .replace('"__DEEP__"', deep);
    const res = await t.app.inject({
      method: 'POST', url: '/api/sync/push', payload: body,
      headers: { 'cookie': dg.cookie, 'x-csrf-token': dg.csrfToken, 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const results = new Map(PushResponse.parse(res.json()).results.map((r) => [r.id, r]));
    expect(results.get(good.id)?.status).toBe('applied');
    expect(results.get(last.id)?.status).toBe('applied');
    expect(results.get(deepId)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/nests more than \d+ levels/) as unknown });
    const reasons: Record<keyof typeof cases, RegExp> = {
      nulInNote: /answers\.0\.note: must not contain a NUL character/,
      loneSurrogate: /landing: must not contain a broken character/,
      yearZero: /dueOn: must be a date/,
      twoAnswers: /answers.*walls-windows.*(once|twice)|answers.*(once|twice).*walls-windows/,
      year9999: /submittedAt: must be a time from 2000 to 2099/,
      startedAfterSubmitted: /startedAt.*after submittedAt/,
      photoItemNotInTemplate: /no-such-item/,
      photoSizeLies: /photos\.0\.size: it says \d+ bytes, but the uploaded photo has \d+/,
      photoDimensionsLie: /photos\.0: it says 4000×3000 pixels, but the uploaded photo is 1200×1600/,
    };
    for (const [name, mutation] of Object.entries(cases) as [keyof typeof cases, { id: string }][]) {
      const result = results.get(mutation.id);
      expect(result?.status, `${name}: ${JSON.stringify(result)}`).toBe('rejected');
      expect(result?.reason, name).toMatch(reasons[name]);
    }
    const stored = await t.db.query<{ id: string }>('SELECT id::text AS id FROM checks WHERE device_id = $1', [clientId]);
    expect(stored.map((r) => r.id).sort()).toEqual([good.payload.checkId, last.payload.checkId].sort());
  });

  it('refuses a clock more than a day ahead of the server’s, and believes one behind', async () => {
    const clientId = 'tablet-clock';
    const ahead = new Date(t.clock.now().getTime() + 2 * 24 * 3600_000).toISOString();
    const behind = new Date(t.clock.now().getTime() - 30 * 24 * 3600_000).toISOString();
    const mutations = [
      checkMutation(refs, clientId, 1, { submittedAt: ahead }),
      checkMutation(refs, clientId, 2, { submittedAt: behind }),
    ];
    const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId, protocol: PROTOCOL_VERSION, mutations });
    const [refused, believed] = PushResponse.parse(res.json()).results;
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/submittedAt/) as unknown });
    expect(believed?.status).toBe('applied');
  });

  it('refuses a NUL in the username at sign-in, without signing in', async () => {
    expectRefused(await call(t.app, null, 'POST', '/api/session', { username: 'admin\u0000.demo', password: PASSWORD }), /username/);
  });

  it('refuses an export from year 0000, as CSV and as PDF, with the app’s error shape', async () => {
    const hor = await sessionOf('hor.demo');
    for (const format of ['csv', 'pdf']) {
      const res = await call(t.app, hor, 'GET', `/api/exports/evidence.${format}?planId=${world.demoPlanId}&from=0000-01-01&to=2026-12-31`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectRefused(res, /from/);
    }
  });

  it('refuses a malformed escape in a plan file’s name', async () => {
    const admin = await sessionOf('admin.demo');
    const res = await call(t.app, admin, 'POST', '/api/plans/parse', Buffer.from('Rec No\tConcern\tAction\tOwner\tTarget Date\n'), {
      headers: { 'content-type': 'text/plain', 'x-file-name': '%E0%A4%A' },
    });
    expectRefused(res, /x-file-name/);
  });

  /** Every string a route's valid body holds, by its path in the body. */
  function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof value === 'string') return [path];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
    if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
    return [];
  }
  function withPoison(body: unknown, path: (string | number)[], poison: string): unknown {
    const copy = structuredClone(body) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const key = path.at(-1);
    if (key !== undefined) node[key] = `${String(node[key])}${poison}`;
    return copy;
  }
  const allowed = (row: RouteRow): Actor => ACTORS.find((a) => a !== 'anonymous' && a !== 'other-establishment' && row.expect[a] < 300) ?? 'anonymous';

  // Unit, landing, user, plan, action, template, schedule and review text: every string of every JSON body.
  // Which routes take text is read from their valid bodies, built here with placeholder ids.
  const placeholders = new Proxy({}, { get: () => 'placeholder' }) as World;
  const bodied = ROUTES.filter(
    (row) => row.route !== '/api/sync/push' && !row.headers?.['content-type'] && stringPaths(row.body?.('admin', 0, placeholders)).length > 0,
  );
  for (const row of bodied) {
    it(`refuses NUL and a lone surrogate in every text field of ${row.method} ${row.route}`, async () => {
      const actor = allowed(row);
      const session = actor === 'anonymous' ? null : await sessionOf(USERNAMES[actor]);
      const body = row.body?.(actor, 0, world);
      const paths = stringPaths(body);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        for (const poison of ['\u0000', '\uDC00']) {
          const res = await call(t.app, session, row.method, row.url(world), withPoison(body, path, poison));
          expect(res.statusCode, `${path.join('.')} with ${JSON.stringify(poison)}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expectRefused(res);
        }
      }
    });
  }
});
