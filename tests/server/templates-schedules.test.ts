import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserSummary } from '../../src/shared/api/admin.ts';
import { Schedule, TemplateVersionRecord } from '../../src/shared/api/capture.ts';
import { SessionInfo } from '../../src/shared/auth.ts';
import { BUILTIN_TEMPLATES } from '../../src/shared/templates/builtin.ts';
import { ensureBuiltinTemplates } from '../../server/src/services/templates.ts';
import type { TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const SECTION = { id: 'main', title: 'Main', items: [{ kind: 'pass-fail', id: 'clean', question: 'Is it clean?' }] };

describe(`check templates and schedules on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  let so: Session;
  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
    so = await signIn(t.app, 'so.demo');
  });
  afterAll(async () => {
    await t.close();
  });

  const templates = async (session: Session) => TemplateVersionRecord.array().parse((await call(t.app, session, 'GET', '/api/templates')).json());

  it('gives every establishment the seven built-in checks, once, however often start-up runs', async () => {
    await ensureBuiltinTemplates(t.db, world.demoId);
    await ensureBuiltinTemplates(t.db, world.demoId);
    const list = await templates(so);
    expect(list.map((v) => v.definition.key).sort()).toEqual(BUILTIN_TEMPLATES.map((b) => b.key).sort());
    expect(list.every((v) => v.builtin && v.definition.version === 1)).toBe(true);
    const servery = list.find((v) => v.definition.key === 'daily-servery-check');
    const temperature = servery?.definition.sections.flatMap((s) => s.items).find((i) => i.id === 'temp-serving');
    expect(temperature).toMatchObject({ kind: 'number', unit: '°C', min: 63 });
  });

  it('adds a new version without changing the old one, which old checks keep rendering with', async () => {
    const before = (await templates(admin)).find((v) => v.templateId === world.demoTemplateId);
    const res = await call(t.app, admin, 'POST', `/api/templates/${world.demoTemplateId}/versions`, {
      title: 'Daily servery check',
      description: 'Adds the allergen board.',
      sections: [...(before?.definition.sections ?? []), { id: 'allergens', title: 'Allergens', items: [{ kind: 'yes-no', id: 'allergen-board', question: 'Is the allergen board up to date?' }] }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(TemplateVersionRecord.parse(res.json()).definition).toMatchObject({ key: 'daily-servery-check', version: 2 });
    const versions = (await templates(so)).filter((v) => v.templateId === world.demoTemplateId);
    expect(versions.map((v) => v.definition.version)).toEqual([1, 2]);
    expect(versions[0]).toEqual(before);
    const audit = (await call(t.app, admin, 'GET', '/api/audit')).json<{ action: string; details: { version?: number } }[]>();
    expect(audit.find((a) => a.action === 'template.version')?.details.version).toBe(2);
  });

  it('refuses a template that would break on the wing, saying what is wrong', async () => {
    const twice = await call(t.app, admin, 'POST', '/api/templates', {
      key: 'broken-check',
      title: 'Broken check',
      sections: [{ id: 'main', title: 'Main', items: [SECTION.items[0], SECTION.items[0]] }],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<{ message: string }>().message).toContain('item id "clean" is used twice');
    const range = await call(t.app, admin, 'POST', '/api/templates', {
      key: 'broken-range',
      title: 'Broken range',
      sections: [{ id: 'main', title: 'Main', items: [{ kind: 'number', id: 'temp', question: 'Temperature', unit: '°C', min: 70, max: 63 }] }],
    });
    expect(range.statusCode).toBe(400);
    expect(range.json<{ message: string }>().message).toContain('min must not be above max');
    const taken = await call(t.app, admin, 'POST', '/api/templates', { key: 'daily-servery-check', title: 'Again', sections: [SECTION] });
    expect(taken.statusCode).toBe(409);
  });

  it('keeps establishments apart: another admin neither sees nor versions HMP Demo templates', async () => {
    const other = await signIn(t.app, 'admin.other');
    const theirs = await templates(other);
    expect(theirs).toHaveLength(BUILTIN_TEMPLATES.length);
    expect(theirs.map((v) => v.templateId)).not.toContain(world.demoTemplateId);
    const res = await call(t.app, other, 'POST', `/api/templates/${world.demoTemplateId}/versions`, { title: 'Mine now', sections: [SECTION] });
    expect(res.statusCode).toBe(403);
    const schedules = Schedule.array().parse((await call(t.app, other, 'GET', '/api/schedules')).json());
    expect(schedules).toEqual([]);
  });

  it('lists the demo schedules, and tells a unit manager which units are theirs and the local time zone', async () => {
    const schedules = Schedule.array().parse((await call(t.app, so, 'GET', '/api/schedules')).json());
    expect(schedules.length).toBe(6);
    const round = schedules.find((s) => s.performedBy === 'duty-governor');
    expect(round?.actionIds).toHaveLength(3);
    expect(round?.frequency).toEqual({ every: 'day' });
    const me = SessionInfo.parse((await call(t.app, so, 'GET', '/api/me')).json());
    expect(me.establishment.timeZone).toBe('Europe/London');
    const units = (await call(t.app, so, 'GET', '/api/units')).json<{ id: string; name: string }[]>();
    expect(me.unitIds.map((id) => units.find((u) => u.id === id)?.name)).toEqual(['A Wing', 'B Wing']);
  });

  it('schedules a template on units, linked to actions, and refuses ids from elsewhere', async () => {
    const units = (await call(t.app, admin, 'GET', '/api/units')).json<{ id: string }[]>();
    const [servery] = (await templates(admin)).filter((v) => v.templateId === world.demoTemplateId);
    const body = { templateId: servery?.templateId, frequency: { every: 'week', weekday: 3 }, performedBy: 'duty-governor', unitIds: [units[0]?.id] };
    const created = await call(t.app, admin, 'POST', '/api/schedules', body);
    expect(created.statusCode, created.body).toBe(201);
    const schedule = Schedule.parse(created.json());
    expect(schedule).toMatchObject({ frequency: { every: 'week', weekday: 3 }, archived: false, actionIds: [] });
    expect(schedule.startsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const [elsewhereUnit] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1', [world.elsewhereId]);
    const foreign = await call(t.app, admin, 'POST', '/api/schedules', { ...body, unitIds: [elsewhereUnit?.id] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ message: string }>().message).toContain('unitIds');
    const badDay = await call(t.app, admin, 'POST', '/api/schedules', { ...body, frequency: { every: 'week', weekday: 8 } });
    expect(badDay.statusCode).toBe(400);

    const archived = await call(t.app, admin, 'PATCH', `/api/schedules/${schedule.id}`, { archived: true, actionIds: [] });
    expect(Schedule.parse(archived.json()).archived).toBe(true);
  });

  it('lets an admin set the units a person looks after, only among their own units', async () => {
    const units = (await call(t.app, admin, 'GET', '/api/units')).json<{ id: string; name: string }[]>();
    const cWing = units.find((u) => u.name === 'C Wing')?.id ?? '';
    const res = await call(t.app, admin, 'PATCH', `/api/users/${world.targetUserId}`, { unitIds: [cWing] });
    expect(res.statusCode, res.body).toBe(200);
    expect(UserSummary.parse(res.json()).unitIds).toEqual([cWing]);
    const [elsewhereUnit] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1', [world.elsewhereId]);
    const foreign = await call(t.app, admin, 'PATCH', `/api/users/${world.targetUserId}`, { unitIds: [elsewhereUnit?.id] });
    expect(foreign.statusCode).toBe(400);
  });
});
