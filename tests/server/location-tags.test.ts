// Location tags (issue 21): the printable sheet, and a check's presence verified at push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTag, tagKeyOf, type TagKey } from '../../server/src/services/location-tags.ts';
import { TagSheetVersion } from '../../src/shared/api/admin.ts';
import { CoverageCellChecks } from '../../src/shared/api/coverage.ts';
import { exportPath } from '../../src/shared/api/export.ts';
import { PushResponse, ServerCheck } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION, type Presence } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, type EvidenceRefs } from './support/evidence.ts';
import { pdfToText } from './support/pdf.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

describe(`location tags on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  let so: Session;
  let refs: EvidenceRefs;
  let otherUnitId: string;
  let seq = 0;
  const STARTED = '2026-11-23T08:00:00.000Z';
  const SUBMITTED = '2026-11-23T08:20:00.000Z';

  const pushCheck = async (presence: Presence | undefined, unitId = refs.unitId) => {
    const mutation = checkMutation(refs, 'tablet-tags', (seq += 1), { unitId, startedAt: STARTED, submittedAt: SUBMITTED, ...(presence ? { presence } : {}) });
    const res = await call(t.app, so, 'POST', '/api/sync/push', { clientId: 'tablet-tags', protocol: PROTOCOL_VERSION, mutations: [mutation] });
    expect(res.statusCode, res.body).toBe(200);
    const [result] = PushResponse.parse(res.json()).results;
    const [row] = await t.db.query<{ presence: unknown }>('SELECT presence FROM checks WHERE id = $1', [mutation.payload.checkId]);
    return { result, stored: row?.presence };
  };
  const currentKey = async (): Promise<TagKey & { key: string }> => {
    const key = await tagKeyOf(t.db, world.demoId);
    if (key.key === null) throw new Error('no tag key yet');
    return { ...key, key: key.key };
  };
  const tag = (token: string, scannedAt = '2026-11-23T08:05:00.000Z'): Presence => ({ method: 'tag', token, scannedAt });

  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
    so = await signIn(t.app, 'so.demo');
    refs = await evidenceRefs(t.db, world.demoId);
    await t.db.query("UPDATE units SET landings = '{1s,2s}' WHERE id = $1", [refs.unitId]);
    const [unit] = await t.db.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [refs.unitId]);
    // Tagged places besides landings are set through the API, as the Units screen does.
    const placed = await call(t.app, admin, 'PATCH', `/api/units/${refs.unitId}`, { places: ['Servery'] });
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json()).toMatchObject({ name: unit?.name, landings: ['1s', '2s'], places: ['Servery'] });
    const made = await call(t.app, admin, 'POST', '/api/units', { name: 'Zulu Wing', landings: [] });
    expect(made.statusCode, made.body).toBe(201);
    otherUnitId = made.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('prints a sheet for admins only: a QR code per unit and landing, each named in text beside it', async () => {
    for (const session of [so, await signIn(t.app, 'hor.demo')]) expect((await call(t.app, session, 'GET', '/api/units/tags.pdf')).statusCode).toBe(403);
    expect((await call(t.app, null, 'GET', '/api/units/tags.pdf')).statusCode).toBe(401);
    const res = await call(t.app, admin, 'GET', '/api/units/tags.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="location-tags-sheet-1.pdf"');
    const text = await pdfToText(res.rawPayload);
    const [unit] = await t.db.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [refs.unitId]);
    for (const name of [unit?.name ?? '', `${unit?.name ?? ''}, landing 1s`, `${unit?.name ?? ''}, landing 2s`, `${unit?.name ?? ''}, Servery`, 'Zulu Wing']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('Elsewhere Wing');
    // Another establishment's admin prints theirs, with none of these.
    const theirs = await pdfToText((await call(t.app, await signIn(t.app, 'admin.other'), 'GET', '/api/units/tags.pdf')).rawPayload);
    expect(theirs).toContain('Elsewhere Wing');
    expect(theirs).not.toContain('Zulu Wing');
    // The same key until a new sheet is asked for: printing again does not revoke what is on the walls.
    expect((await call(t.app, admin, 'GET', '/api/units/tags.pdf')).headers['content-disposition']).toContain('sheet-1.pdf');
  });

  it('records a scanned tag of the check’s unit, with the place it names; a check without presence is still taken', async () => {
    const key = await currentKey();
    const landing = await pushCheck(tag(signTag(key, { unitId: refs.unitId, place: 'landing 2s' })));
    expect(landing.result?.status).toBe('applied');
    expect(landing.stored).toEqual({ method: 'tag', place: 'landing 2s', sheet: 1, scannedAt: '2026-11-23T08:05:00.000Z' });
    const wholeUnit = await pushCheck(tag(signTag(key, { unitId: refs.unitId, place: null })));
    expect(wholeUnit.stored).toMatchObject({ method: 'tag', place: null });
    const servery = await pushCheck(tag(signTag(key, { unitId: refs.unitId, place: 'Servery' })));
    expect(servery.stored).toMatchObject({ method: 'tag', place: 'Servery' });
    const none = await pushCheck({ method: 'none', reason: 'The tag on the servery wall is missing.' });
    expect(none.stored).toEqual({ method: 'none', reason: 'The tag on the servery wall is missing.' });
    const old = await pushCheck(undefined);
    expect(old.result?.status).toBe('applied');
    expect(old.stored).toBeNull();
    // Review and the evidence pack say which.
    const [unit] = await t.db.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [refs.unitId]);
    const detail = ServerCheck.array().parse((await call(t.app, admin, 'GET', `/api/actions/${refs.actionId}`)).json<{ evidence: unknown }>().evidence);
    expect(detail.find((c) => c.presence?.method === 'tag' && c.presence.place === 'landing 2s')).toBeDefined();
    const csv = await call(t.app, admin, 'GET', exportPath('csv', { scope: { kind: 'action', id: refs.actionId }, from: '2026-11-23', to: '2026-11-23' }));
    expect(csv.body).toContain(`Scanned at ${unit?.name ?? ''}, landing 2s 2026-11-23 08:05`);
    expect(csv.body).toContain('Not scanned: The tag on the servery wall is missing.');
    expect(csv.body).toContain(`Scanned at ${unit?.name ?? ''}, Servery 2026-11-23 08:05`);
    expect(csv.body).toContain('Location not recorded');
    // And coverage: the cell of that day lists its checks with where each was done.
    const [weekly] = await t.db.query<{ template_id: string }>('SELECT template_id FROM template_versions WHERE id = $1', [refs.templateVersionId]);
    const schedule = await call(t.app, admin, 'POST', '/api/schedules', {
      templateId: weekly?.template_id, frequency: { every: 'day' }, performedBy: 'unit-manager', unitIds: [refs.unitId], startsOn: '2026-11-01',
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const cell = await call(t.app, admin, 'GET', `/api/coverage/checks?from=2026-11-23&to=2026-11-23&scheduleId=${schedule.json<{ id: string }>().id}&unitId=${refs.unitId}&day=2026-11-23`);
    expect(cell.statusCode, cell.body).toBe(200);
    const presences = CoverageCellChecks.parse(cell.json()).checks.map((c) => c.presence ?? null);
    expect(presences).toEqual(expect.arrayContaining([null, { method: 'none', reason: 'The tag on the servery wall is missing.' }, expect.objectContaining({ place: 'landing 2s' })]));
    // The audit chain covers presence: every record still matches its hash.
    const verified = await call(t.app, admin, 'GET', '/api/audit/verify');
    expect(verified.json<{ ok: boolean }>().ok, verified.body).toBe(true);
  });

  it('refuses forged tags, another unit’s, another establishment’s and revoked ones, saying "tag" in the reason', async () => {
    const key = await currentKey();
    const genuine = signTag(key, { unitId: refs.unitId, place: 'landing 1s' });
    const forged = `${genuine.slice(0, -2)}${genuine.endsWith('AA') ? 'BB' : 'AA'}`;
    const elsewhere = signTag({ ...key, establishmentId: world.elsewhereId }, { unitId: refs.unitId, place: 'landing 1s' });
    const wrongKey = signTag({ ...key, key: 'ab'.repeat(32) }, { unitId: refs.unitId, place: 'landing 1s' });
    const cases: [Presence, RegExp][] = [
      [tag(forged), /not one of this establishment’s tags/],
      [tag(elsewhere), /not one of this establishment’s tags/],
      [tag(wrongKey), /not one of this establishment’s tags/],
      [tag('https://example.com/not-a-tag'), /not one of this establishment’s tags/],
      [tag(signTag(key, { unitId: otherUnitId, place: null })), /tag scanned is for another unit/],
      [tag(genuine, '2026-11-22T08:05:00.000Z'), /location tag was scanned at 2026-11-22T08:05:00.000Z, not while/],
    ];
    for (const [presence, reason] of cases) {
      const { result, stored } = await pushCheck(presence);
      expect(result, JSON.stringify(presence)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) as unknown });
      expect(result?.status === 'rejected' ? result.reason : '').toMatch(/tag/);
      expect(stored).toBeUndefined();
    }

    // A new sheet: the old one's tags are revoked, the new one's work.
    expect((await call(t.app, so, 'POST', '/api/units/tags')).statusCode).toBe(403);
    const renewed = await call(t.app, admin, 'POST', '/api/units/tags');
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(TagSheetVersion.parse(renewed.json())).toEqual({ version: 2 });
    const revoked = await pushCheck(tag(genuine));
    expect(revoked.result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/tag scanned was revoked when new tags were printed/) as unknown });
    const fresh = await pushCheck(tag(signTag(await currentKey(), { unitId: refs.unitId, place: 'landing 1s' })));
    expect(fresh.stored).toMatchObject({ method: 'tag', place: 'landing 1s', sheet: 2 });
    expect((await call(t.app, admin, 'GET', '/api/units/tags.pdf')).headers['content-disposition']).toContain('sheet-2.pdf');
    const [audited] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'tags.issue' AND establishment_id = $1", [world.demoId]);
    expect(audited?.n).toBe(2);
  });

  it('refuses a malformed presence as malformed, before anything is stored', async () => {
    const mutation = checkMutation(refs, 'tablet-tags', (seq += 1), { startedAt: STARTED, submittedAt: SUBMITTED });
    for (const presence of [{ method: 'gps' }, { method: 'tag', token: '' }, { method: 'none', reason: '   ' }, { method: 'tag', token: 'x'.repeat(301), scannedAt: STARTED }]) {
      const body = { clientId: 'tablet-tags', protocol: PROTOCOL_VERSION, mutations: [{ ...mutation, id: newId(), payload: { ...mutation.payload, checkId: newId(), presence } }] };
      const res = await call(t.app, so, 'POST', '/api/sync/push', body);
      expect(res.statusCode).toBe(200);
      expect(PushResponse.parse(res.json()).results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^It is malformed \(payload\.presence/) as unknown });
    }
  });
});
