import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { hashPassword } from '../../../server/src/auth/passwords.ts';
import type { Db } from '../../../server/src/db/client.ts';
import { seedDemo } from '../../../server/src/db/demo.ts';
import { chainEvidence } from '../../../server/src/evidence-chain.ts';
import { ensureBuiltinTemplates } from '../../../server/src/services/templates.ts';
import { evidenceRefs } from './evidence.ts';
import { CSRF_HEADER, SessionInfo, type Role } from '../../../src/shared/auth.ts';
import { newId } from '../../../src/shared/ids.ts';
import { startTestApp, type TestApp } from './app.ts';

export const PASSWORD = 'correct horse battery staple';

/** Two establishments: HMP Demo with its demo users, and HMP Elsewhere with an admin of its own. */
export interface World {
  demoId: string;
  elsewhereId: string;
  /** A user of HMP Demo whose password tests may reset. */
  targetUserId: string;
  demoUnitId: string;
  demoPlanId: string;
  /** The daily servery check template of HMP Demo, and one of its schedules. */
  demoTemplateId: string;
  demoScheduleId: string;
  /** An action of the demo plan, and a check of HMP Demo linked to it (made by dg.demo). */
  demoActionId: string;
  demoCheckId: string;
  /** An explanation of a missed day of demoScheduleId on a unit, by so.demo, awaiting review. */
  demoGapId: string;
  userIds: Record<string, string>;
}

export async function addUser(db: Db, username: string, establishmentId: string, roles: Role[]): Promise<string> {
  const id = newId();
  await db.query('INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, $3, $4)', [
    id,
    username,
    username,
    await hashPassword(PASSWORD),
  ]);
  for (const role of roles) {
    await db.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [id, establishmentId, role]);
  }
  return id;
}

export async function buildWorld(db: Db): Promise<World> {
  await seedDemo(db, { usersPassword: PASSWORD });
  const [demo] = await db.query<{ id: string }>("SELECT id FROM establishments WHERE name = 'HMP Demo'");
  const elsewhereId = newId();
  await db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Elsewhere')", [elsewhereId]);
  await db.query("INSERT INTO units (id, establishment_id, name) VALUES ($1, $2, 'Elsewhere Wing')", [newId(), elsewhereId]);
  await ensureBuiltinTemplates(db, elsewhereId);
  const demoId = demo?.id ?? '';
  const targetUserId = await addUser(db, 'target.demo', demoId, ['unit-manager']);
  await addUser(db, 'admin.other', elsewhereId, ['admin']);
  const [unit] = await db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1 ORDER BY name LIMIT 1', [demoId]);
  const users = await db.query<{ id: string; username: string }>('SELECT id, username FROM users');
  const [plan] = await db.query<{ id: string }>('SELECT id FROM plans WHERE establishment_id = $1', [demoId]);
  const [template] = await db.query<{ id: string }>("SELECT id FROM templates WHERE establishment_id = $1 AND key = 'daily-servery-check'", [demoId]);
  const [schedule] = await db.query<{ id: string }>('SELECT id FROM schedules WHERE establishment_id = $1 LIMIT 1', [demoId]);
  const refs = await evidenceRefs(db, demoId);
  const [dg] = users.filter((u) => u.username === 'dg.demo');
  const demoCheckId = newId();
  await db.query(
    `INSERT INTO checks (id, establishment_id, kind, template_version_id, unit_id, author_id, device_id, answers, started_at, submitted_at, received_at)
     VALUES ($1, $2, 'check', $3, $4, $5, 'world', '[]', now(), now(), now())`,
    [demoCheckId, demoId, refs.templateVersionId, refs.unitId, dg?.id ?? ''],
  );
  // Linked to the plan's last action, so tests using the first (evidenceRefs) start with none.
  const [lastAction] = await db.query<{ id: string }>(
    `SELECT a.id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id WHERE r.plan_id = $1
     ORDER BY r.position DESC, a.position DESC LIMIT 1`,
    [plan?.id ?? ''],
  );
  await db.query('INSERT INTO check_actions (check_id, action_id) VALUES ($1, $2)', [demoCheckId, lastAction?.id ?? '']);
  // Into the audit chain as the server puts every check it stores, so the world verifies.
  await db.transaction((tx) =>
    chainEvidence(tx, { establishmentId: demoId, checkId: demoCheckId, kind: 'check', actorId: dg?.id ?? '', deviceId: 'world' }, new Date()),
  );
  const demoGapId = newId();
  await db.query(
    `INSERT INTO gap_explanations (id, establishment_id, schedule_id, unit_id, due_on, reason, author_id, explained_at, received_at)
     SELECT $1, $2, s.id, su.unit_id, '2026-11-18', 'staffing', $4, now(), now()
     FROM schedules s JOIN schedule_units su ON su.schedule_id = s.id WHERE s.id = $3 LIMIT 1`,
    [demoGapId, demoId, schedule?.id ?? '', users.find((u) => u.username === 'so.demo')?.id ?? ''],
  );
  return {
    demoId,
    demoGapId,
    demoActionId: lastAction?.id ?? '',
    demoCheckId,
    demoTemplateId: template?.id ?? '',
    demoScheduleId: schedule?.id ?? '',
    elsewhereId,
    targetUserId,
    demoUnitId: unit?.id ?? '',
    demoPlanId: plan?.id ?? '',
    userIds: Object.fromEntries(users.map((u) => [u.username, u.id])),
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  info: SessionInfo;
}

export async function signIn(app: FastifyInstance, username: string, password = PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'wingcheck_session');
  if (!cookie) throw new Error('sign-in set no session cookie');
  const info = SessionInfo.parse(res.json());
  return { cookie: `${cookie.name}=${cookie.value}`, csrfToken: info.csrfToken, info };
}

/** A request as the app makes it: the session cookie and, unless told otherwise, the CSRF header. */
export function call(
  app: FastifyInstance,
  session: Session | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  options: { csrf?: boolean; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (session) {
    headers.cookie = session.cookie;
    if (options.csrf !== false) headers[CSRF_HEADER] = session.csrfToken;
  }
  // A Buffer goes as raw bytes (file uploads); anything else as JSON.
  const body = payload === undefined ? {} : { payload: payload instanceof Buffer ? payload : (payload as object) };
  return app.inject({ method, url, headers, ...body });
}

/** The usual setup of an API test: the app on a fresh database, the two-establishment world, an admin signed in. */
export async function startWorld(): Promise<{ t: TestApp; world: World; admin: Session }> {
  const t = await startTestApp();
  const world = await buildWorld(t.db);
  return { t, world, admin: await signIn(t.app, 'admin.demo') };
}
