// Setting up and looking after an install from the command line (scripts/wingcheck.ts): no
// signed-in person, so each audit row says it was done by nobody, on no device.
import { audit } from '../audit-request.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { newId } from '../../../src/shared/ids.ts';
import { ensureBuiltinTemplates } from './templates.ts';

/** Why an install command was refused: said to the person as it stands. */
export class SetupRefusal extends Error {}

export interface NewEstablishment {
  name: string;
  timeZone: string;
  adminUsername: string;
  adminName: string;
  /** The first administrator's one-time password, hashed: they choose their own at first sign-in. */
  passwordHash: string;
}

/** An establishment, its built-in check templates and its first administrator, in one transaction. */
export async function createEstablishment(db: Db, input: NewEstablishment, now: Date): Promise<{ id: string; adminId: string }> {
  return db.transaction(async (tx) => {
    const [sameName] = await tx.query('SELECT 1 FROM establishments WHERE lower(name) = lower($1)', [input.name]);
    if (sameName) throw new SetupRefusal(`an establishment named "${input.name}" already exists`);
    const [taken] = await tx.query('SELECT 1 FROM users WHERE username = $1', [input.adminUsername]);
    if (taken) throw new SetupRefusal(`the username ${input.adminUsername} is taken: choose another`);
    const id = newId();
    const adminId = newId();
    await tx.query('INSERT INTO establishments (id, name, time_zone) VALUES ($1, $2, $3)', [id, input.name, input.timeZone]);
    await tx.query(
      'INSERT INTO users (id, username, display_name, password_hash, must_change_password) VALUES ($1, $2, $3, $4, true)',
      [adminId, input.adminUsername, input.adminName, input.passwordHash],
    );
    await tx.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [adminId, id, 'admin']);
    await ensureBuiltinTemplates(tx, id);
    const by = { establishmentId: id, actorId: null, deviceId: null, now };
    await audit(tx, by, { action: 'establishment.create', entityType: 'establishment', entityId: id, details: { name: input.name, timeZone: input.timeZone } });
    await audit(tx, by, { action: 'user.create', entityType: 'user', entityId: adminId, details: { username: input.adminUsername, roles: ['admin'] } });
    return { id, adminId };
  });
}

/** A new one-time password for someone, signing them out everywhere; audited in each establishment they belong to. */
export async function resetPasswordEverywhere(db: Db, username: string, passwordHash: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
    if (!user) throw new SetupRefusal(`there is no user ${username}`);
    await tx.query('UPDATE users SET password_hash = $2, must_change_password = true WHERE id = $1', [user.id, passwordHash]);
    await revokeUserSessions(tx, user.id, now);
    const places = await tx.query<{ establishment_id: string }>('SELECT DISTINCT establishment_id FROM memberships WHERE user_id = $1', [user.id]);
    for (const { establishment_id: establishmentId } of places) {
      await audit(tx, { establishmentId, actorId: null, deviceId: null, now }, { action: 'user.reset-password', entityType: 'user', entityId: user.id });
    }
  });
}

export interface EstablishmentListing {
  id: string;
  name: string;
  timeZone: string;
  /** Usernames of its active administrators. */
  admins: string[];
  people: number;
}

export async function listEstablishments(db: Db): Promise<EstablishmentListing[]> {
  const rows = await db.query<{ id: string; name: string; time_zone: string; admins: string[] | null; people: string }>(
    `SELECT e.id, e.name, e.time_zone,
            (SELECT array_agg(u.username ORDER BY u.username) FROM memberships m JOIN users u ON u.id = m.user_id
              WHERE m.establishment_id = e.id AND m.role = 'admin' AND u.disabled_at IS NULL) AS admins,
            (SELECT count(DISTINCT m.user_id) FROM memberships m WHERE m.establishment_id = e.id)::text AS people
     FROM establishments e ORDER BY e.name`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone, admins: r.admins ?? [], people: Number(r.people) }));
}
