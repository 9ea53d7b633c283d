import { createECDH } from 'node:crypto';
import { runPeriodically, type Timing } from '../periodic.ts';
import webpush from 'web-push';
import type { PushKey, PushSubscribed, PushSubscriptionRequest, ReminderPayload } from '../../../src/shared/api/push.ts';
import { addDays, cycleOf, scheduledDayKey, type Period } from '../../../src/shared/cycles.ts';
import { escalationsFor, localHourOf, OVERDUE_AFTER_HOUR, overdueNotification, remindersFor, type Escalation } from '../../../src/shared/reminders.ts';
import type { Role } from '../../../src/shared/roles.ts';
import { localDateOf, type Frequency, type LocalDate } from '../../../src/shared/schedules.ts';
import type { DueCheck } from '../../../src/shared/today.ts';
import type { Db, Queryable } from '../db/client.ts';
import { handlers } from '../endpoint-handlers.ts';
import { fieldError } from '../http-errors.ts';
import { safeError } from '../safe-logging.ts';
import { standingExplanations } from './gaps.ts';
import { listSchedules } from './schedules.ts';
import { explainedKeys } from '../../../src/shared/coverage.ts';
import { plural } from '../../../src/shared/words.ts';

/**
 * Web Push reminders: the installation's VAPID keys, the browsers' subscriptions, and the run every
 * few minutes that pushes each person's overdue checks (once a day) and tells the head of residence
 * of a unit's daily check missed two days running (once each). Which checks are due, overdue or
 * escalated is worked out by the same functions as on the tablet (src/shared/reminders.ts).
 */

/** Where subscriptions may point, and who signs the pushes. */
export interface PushSettings {
  /** Origins beside the browsers' push services that subscriptions may name (PUSH_SERVICE_ORIGINS). */
  extraOrigins: readonly string[];
  /** The VAPID `sub`: how a push service reaches whoever runs this server. */
  subject: string;
}

/**
 * The app's own https address identifies the operator; without one, a mailto: that says nothing
 * (web-push refuses an empty subject, and a localhost one makes Apple's push service refuse the JWT).
 */
export function pushSettings(extraOrigins: readonly string[], publicUrl: string | null): PushSettings {
  const subject = publicUrl?.startsWith('https://') ? publicUrl : 'mailto:wingcheck@example.invalid';
  return { extraOrigins: [...extraOrigins], subject };
}

/**
 * The browsers' push services. Any other address would have the server send requests wherever a
 * client said (server-side request forgery): others only by the operator's PUSH_SERVICE_ORIGINS.
 */
const KNOWN_PUSH_ORIGINS = new Set(['https://fcm.googleapis.com', 'https://updates.push.services.mozilla.com', 'https://web.push.apple.com']);
const KNOWN_PUSH_HOST_SUFFIXES = ['.notify.windows.com', '.push.apple.com'];

/** Whether the server may send to this endpoint: https on a known push service, or an origin the operator listed. */
export function isAllowedPushEndpoint(endpoint: string, settings: PushSettings): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (settings.extraOrigins.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  return KNOWN_PUSH_ORIGINS.has(url.origin) || KNOWN_PUSH_HOST_SUFFIXES.some((suffix) => url.hostname.endsWith(suffix));
}

interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** Read once per database for the life of the process: the pair never changes once made. */
const vapidKeysByDb = new WeakMap<Queryable, Promise<VapidKeys>>();

async function loadOrMakeVapidKeys(db: Queryable): Promise<VapidKeys> {
  const read = () => db.query<{ public_key: string; private_key: string }>('SELECT public_key, private_key FROM push_vapid_keys');
  let [row] = await read();
  if (!row) {
    // Several servers may start at once: the first insert stands, and every one reads it back.
    const made = webpush.generateVAPIDKeys();
    await db.query('INSERT INTO push_vapid_keys (public_key, private_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      made.publicKey,
      made.privateKey,
    ]);
    [row] = await read();
  }
  if (!row) throw new Error('the VAPID key pair was neither found nor made');
  return { publicKey: row.public_key, privateKey: row.private_key };
}

/** The installation's VAPID key pair, made the first time it is needed. */
export function vapidKeys(db: Queryable): Promise<VapidKeys> {
  let keys = vapidKeysByDb.get(db);
  if (!keys) {
    keys = loadOrMakeVapidKeys(db);
    // A failure (the database away) is not kept: the next call tries again.
    keys.catch(() => vapidKeysByDb.delete(db));
    vapidKeysByDb.set(db, keys);
  }
  return keys;
}

/** A person's browsers beyond this many are dropped, oldest first: enough tablets, and no fan-out to thousands. */
const MAX_SUBSCRIPTIONS_PER_USER = 10;

function isP256Point(p256dh: string): boolean {
  try {
    // What encrypting to it will do: a point off the curve throws here, not at sending.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(p256dh, 'base64url'));
    return true;
  } catch {
    return false;
  }
}

interface Subscriber {
  userId: string;
  establishmentId: string;
  now: Date;
}

/** Keeps a browser's subscription for the person and establishment of the session (replacing any other holder of it). */
export async function subscribe(
  db: Db,
  settings: PushSettings,
  who: Subscriber,
  body: PushSubscriptionRequest,
): Promise<PushSubscribed> {
  if (!isAllowedPushEndpoint(body.endpoint, settings)) {
    const origin = new URL(body.endpoint).origin;
    throw fieldError('endpoint', `must be a browser's push service (Google, Mozilla, Apple or Microsoft): this server does not send to ${origin}`);
  }
  if (!isP256Point(body.keys.p256dh)) throw fieldError('keys.p256dh', 'is not a P-256 public key');
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO push_subscriptions (endpoint, user_id, establishment_id, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, establishment_id = EXCLUDED.establishment_id,
         p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, created_at = EXCLUDED.created_at`,
      [body.endpoint, who.userId, who.establishmentId, body.keys.p256dh, body.keys.auth, who.now],
    );
    await tx.query(
      `DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint NOT IN (
         SELECT endpoint FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, endpoint LIMIT ${MAX_SUBSCRIPTIONS_PER_USER})`,
      [who.userId],
    );
  });
  return { endpoint: body.endpoint, subscribedAt: who.now.toISOString() };
}

/** Ends a subscription of the caller's; another person's (or none) is left as it is, with the same answer. */
export async function unsubscribe(db: Queryable, userId: string, endpoint: string): Promise<void> {
  await db.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2', [endpoint, userId]);
}

export const pushHandlers = handlers({
  'push.key': async (_, { deps }): Promise<PushKey> => ({ publicKey: (await vapidKeys(deps.db)).publicKey }),
  'push.subscribe': ({ body }, { deps, auth }) => {
    const { userId, establishmentId } = auth();
    return subscribe(deps.db, deps.push, { userId, establishmentId, now: deps.clock.now() }, body);
  },
  'push.unsubscribe': async ({ body }, { deps, auth }) => {
    await unsubscribe(deps.db, auth().userId, body.endpoint);
    return undefined;
  },
});

// Sending.

/** What a run needs: the database, where pushes may go, and where to say what went wrong. */
export interface ReminderDeps {
  db: Db;
  push: PushSettings;
  log: { warn(details: object, message: string): void; error(details: object, message: string): void };
}

/** What a run did, for logs and tests. */
export interface ReminderRun {
  /** Pushes a push service accepted. */
  sent: number;
  /** Subscriptions ended because their push service said they are gone (404, 410). */
  removed: number;
  /** Pushes not delivered (refused, unreachable). */
  failed: number;
}

/** The head of residence hears of a twice-missed check from this hour: not in the night. */
export const ESCALATE_FROM_HOUR = 8;

/** How long a push service keeps a push for a device that is off: an overdue reminder is stale by the evening's end. */
const OVERDUE_TTL_SECONDS = 6 * 60 * 60;
const ESCALATION_TTL_SECONDS = 24 * 60 * 60;
/** A push service that has not answered by then is counted as unreachable; the next run tries again. */
const SEND_TIMEOUT_MS = 10_000;
/** A reminder's claim is needed only on its day; kept a little longer, then removed. */
const CLAIMS_KEPT_DAYS = 14;
/** Names listed in one push; the rest are counted (a push's payload is at most about 4 KB). */
const NAMES_LISTED = 5;

interface SubscriptionRow {
  endpoint: string;
  user_id: string;
  establishment_id: string;
  p256dh: string;
  auth: string;
}

type Delivery = 'delivered' | 'gone' | 'retry' | 'refused';

/** Sends one push; a 404 or 410 means the browser ended the subscription, so it is removed. */
async function deliver(
  deps: ReminderDeps,
  keys: VapidKeys,
  subscription: SubscriptionRow,
  payload: ReminderPayload,
  ttl: number,
): Promise<Delivery> {
  const origin = new URL(subscription.endpoint).origin;
  // Checked again at sending: the operator may have taken an origin off PUSH_SERVICE_ORIGINS since.
  if (!isAllowedPushEndpoint(subscription.endpoint, deps.push)) {
    deps.log.warn({ pushService: origin }, 'a push subscription names a push service no longer allowed: not sent');
    return 'refused';
  }
  let response: Response;
  try {
    const request = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(payload),
      { vapidDetails: { subject: deps.push.subject, publicKey: keys.publicKey, privateKey: keys.privateKey }, TTL: ttl },
    );
    // fetch works out the length itself; every other header goes as web-push made it (TTL as a
    // number, whatever its types say).
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers) as [string, unknown][]) {
      if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    }
    response = await fetch(request.endpoint, {
      method: request.method,
      headers,
      body: new Uint8Array(request.body),
      // A push service never redirects: following one would send the request wherever it said.
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    deps.log.warn({ pushService: origin, err: safeError(error) }, 'a push could not be sent; it is tried again at the next run');
    return 'retry';
  }
  await response.body?.cancel();
  if (response.ok) return 'delivered';
  if (response.status === 404 || response.status === 410) {
    await deps.db.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [subscription.endpoint]);
    return 'gone';
  }
  if (response.status === 429 || response.status >= 500) {
    deps.log.warn({ pushService: origin, statusCode: response.status }, 'a push service is busy or failing; the push is tried again at the next run');
    return 'retry';
  }
  deps.log.warn({ pushService: origin, statusCode: response.status }, 'a push service refused a push');
  return 'refused';
}

/** Takes a reminder for this server to send: false if another run (here or on another server) took it first. */
async function claim(db: Queryable, key: string, now: Date): Promise<boolean> {
  const rows = await db.query('INSERT INTO push_reminders_sent (claim_key, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING claim_key', [key, now]);
  return rows.length > 0;
}

/**
 * Sends one reminder to a set of subscriptions under its claim. When none got it and some may at a
 * later try (a push service down), the claim is let go so that the next run sends it again.
 */
async function sendClaimed(
  deps: ReminderDeps,
  keys: VapidKeys,
  reminder: { claimKey: string; payload: ReminderPayload; ttl: number; to: readonly SubscriptionRow[] },
  now: Date,
  run: ReminderRun,
): Promise<void> {
  if (reminder.to.length === 0 || !(await claim(deps.db, reminder.claimKey, now))) return;
  const outcomes: Delivery[] = [];
  for (const subscription of reminder.to) outcomes.push(await deliver(deps, keys, subscription, reminder.payload, reminder.ttl));
  run.sent += outcomes.filter((o) => o === 'delivered').length;
  run.removed += outcomes.filter((o) => o === 'gone').length;
  run.failed += outcomes.filter((o) => o === 'retry' || o === 'refused').length;
  if (!outcomes.includes('delivered') && outcomes.includes('retry')) {
    await deps.db.query('DELETE FROM push_reminders_sent WHERE claim_key = $1', [reminder.claimKey]);
  }
}

/** An establishment as a run sees it: its day and hour, what is scheduled, and what is already settled. */
interface Setting {
  today: LocalDate;
  hour: number;
  schedules: Awaited<ReturnType<typeof listSchedules>>;
  liveUnitIds: Set<string>;
  unitNames: Map<string, string>;
  templateTitles: Map<string, string>;
  settled: (check: { scheduleId: string; templateId: string; unitId: string; date: LocalDate; frequency?: Frequency }) => boolean;
}

const DAILY: Frequency = { every: 'day' };

/**
 * The days any check was done, per template and unit, far enough back to cover the cycle of every
 * day a run asks about (the day before yesterday's month or week) and up to today's cycle's end.
 */
function checksWindow(today: LocalDate): Period {
  const earliest = addDays(today, -2);
  const week = (day: LocalDate) => cycleOf({ every: 'week', weekday: 1 }, day);
  const month = (day: LocalDate) => cycleOf({ every: 'month', day: 1 }, day);
  const from = [week(earliest).from, month(earliest).from].sort()[0] ?? earliest;
  const to = [week(today).to, month(today).to].sort().at(-1) ?? today;
  return { from, to };
}

async function settingOf(db: Queryable, establishmentId: string, now: Date): Promise<Setting | null> {
  const [here] = await db.query<{ time_zone: string }>('SELECT time_zone FROM establishments WHERE id = $1', [establishmentId]);
  if (!here) return null;
  const today = localDateOf(now, here.time_zone);
  const schedules = await listSchedules(db, establishmentId);
  const units = await db.query<{ id: string; name: string; archived: boolean }>(
    'SELECT id, name, archived_at IS NOT NULL AS archived FROM units WHERE establishment_id = $1',
    [establishmentId],
  );
  const titles = await db.query<{ id: string; title: string | null }>(
    `SELECT t.id, (SELECT v.definition->>'title' FROM template_versions v WHERE v.template_id = t.id ORDER BY v.version DESC LIMIT 1) AS title
     FROM templates t WHERE t.establishment_id = $1`,
    [establishmentId],
  );
  const window = checksWindow(today);
  // As coverage counts them: any check of the template on the unit whose day (checks.day) is in
  // the cycle, however it was started.
  const done = await db.query<{ template_id: string; unit_id: string; day: string }>(
    `SELECT DISTINCT v.template_id, c.unit_id, to_char(c.day, 'YYYY-MM-DD') AS day
     FROM checks c JOIN template_versions v ON v.id = c.template_version_id
     WHERE c.establishment_id = $1 AND c.kind = 'check' AND c.unit_id IS NOT NULL AND c.day BETWEEN $2::date AND $3::date`,
    [establishmentId, window.from, window.to],
  );
  const doneDays = new Map<string, string[]>();
  for (const row of done) {
    const key = `${row.template_id}/${row.unit_id}`;
    doneDays.set(key, [...(doneDays.get(key) ?? []), row.day]);
  }
  // An explanation given (whatever its review) settles the day: the person has answered for it,
  // and the head of residence already has it to decide on.
  const explained = explainedKeys(await standingExplanations(db, establishmentId, addDays(today, -2), today));
  return {
    today,
    hour: localHourOf(now, here.time_zone),
    schedules,
    liveUnitIds: new Set(units.filter((u) => !u.archived).map((u) => u.id)),
    unitNames: new Map(units.map((u) => [u.id, u.name])),
    templateTitles: new Map(titles.map((t) => [t.id, t.title ?? 'Check'])),
    settled: (check) => {
      if (explained.has(scheduledDayKey(check))) return true;
      const cycle = cycleOf(check.frequency ?? DAILY, check.date);
      return (doneDays.get(`${check.templateId}/${check.unitId}`) ?? []).some((day) => day >= cycle.from && day <= cycle.to);
    },
  };
}

type Names = Pick<Setting, 'templateTitles' | 'unitNames'>;

function checkName(setting: Names, check: { templateId: string; unitId: string }): string {
  return `${setting.templateTitles.get(check.templateId) ?? 'Check'} on ${setting.unitNames.get(check.unitId) ?? 'a unit'}`;
}

/** "2 checks overdue: Daily unit cleaning checklist on A Wing, Daily servery check on B Wing (yesterday)". */
export function overduePayload(setting: Names & Pick<Setting, 'today'>, overdue: readonly DueCheck[]): ReminderPayload {
  const names = overdue.map((c) => `${checkName(setting, c)}${c.date < setting.today ? ' (yesterday)' : ''}`);
  const more = names.length - NAMES_LISTED;
  const { title, tag } = overdueNotification(setting.today, overdue.length);
  return {
    title,
    body: `${plural(overdue.length, 'check overdue', 'checks overdue')}: ${names.slice(0, NAMES_LISTED).join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
    url: '/',
    // The same as the tablet's own notification of the day: one replaces the other.
    tag,
  };
}

function escalationPayload(setting: Names, escalation: Escalation): ReminderPayload {
  return {
    title: 'Wingcheck: a daily check missed two days running',
    body: `${checkName(setting, escalation)} was missed two days running (${addDays(escalation.date, -1)} and ${escalation.date}), with no explanation.`,
    url: '/coverage',
    tag: `escalation-${escalation.scheduleId}-${escalation.unitId}-${escalation.date}`,
  };
}

/** Each subscribed person's roles and units (their own units; none: all), as the tablet's session has them. */
async function peopleOf(db: Queryable, establishmentId: string, userIds: readonly string[]) {
  return db.query<{ user_id: string; roles: Role[]; unit_ids: string[] }>(
    `SELECT m.user_id, array_agg(m.role ORDER BY m.role) AS roles,
            ARRAY(SELECT uu.unit_id FROM user_units uu JOIN units u ON u.id = uu.unit_id
                  WHERE uu.user_id = m.user_id AND u.establishment_id = m.establishment_id AND u.archived_at IS NULL) AS unit_ids
     FROM memberships m WHERE m.establishment_id = $1 AND m.user_id = ANY($2::uuid[])
     GROUP BY m.user_id, m.establishment_id`,
    [establishmentId, [...userIds]],
  );
}

async function remindEstablishment(
  deps: ReminderDeps,
  keys: VapidKeys,
  establishmentId: string,
  subscriptions: readonly SubscriptionRow[],
  now: Date,
  run: ReminderRun,
): Promise<void> {
  const setting = await settingOf(deps.db, establishmentId, now);
  if (!setting) return;
  const people = await peopleOf(deps.db, establishmentId, [...new Set(subscriptions.map((s) => s.user_id))]);
  const subscriptionsOf = (userId: string) => subscriptions.filter((s) => s.user_id === userId);

  // Overdue: once a day per person, from the hour today's checks count as overdue (yesterday's are then too).
  if (setting.hour >= OVERDUE_AFTER_HOUR) {
    for (const person of people) {
      const { overdue } = remindersFor(
        { roles: person.roles, unitIds: person.unit_ids },
        setting.schedules,
        setting.liveUnitIds,
        setting.settled,
        setting.today,
        setting.hour,
      );
      if (overdue.length === 0) continue;
      await sendClaimed(deps, keys, {
        claimKey: `overdue:${person.user_id}:${establishmentId}:${setting.today}`,
        payload: overduePayload(setting, overdue),
        ttl: OVERDUE_TTL_SECONDS,
        to: subscriptionsOf(person.user_id),
      }, now, run);
    }
  }

  // Escalation: each twice-missed daily check once, to every browser of the establishment's heads of residence.
  const heads = people.filter((p) => p.roles.includes('head-of-residence')).flatMap((p) => subscriptionsOf(p.user_id));
  if (setting.hour >= ESCALATE_FROM_HOUR && heads.length > 0) {
    for (const escalation of escalationsFor(setting.schedules, setting.liveUnitIds, setting.settled, setting.today)) {
      await sendClaimed(deps, keys, {
        claimKey: `escalation:${escalation.scheduleId}:${escalation.unitId}:${escalation.date}`,
        payload: escalationPayload(setting, escalation),
        ttl: ESCALATION_TTL_SECONDS,
        to: heads,
      }, now, run);
    }
  }
}

/**
 * One run: every subscribed person's overdue checks and every establishment's escalations, as of
 * `now`, each sent at most once whichever server runs it. An establishment that fails is logged
 * and the others still get theirs.
 */
export async function sendReminders(deps: ReminderDeps, now: Date): Promise<ReminderRun> {
  const run: ReminderRun = { sent: 0, removed: 0, failed: 0 };
  await deps.db.query('DELETE FROM push_reminders_sent WHERE sent_at < $1', [new Date(now.getTime() - CLAIMS_KEPT_DAYS * 86_400_000)]);
  const subscriptions = await deps.db.query<SubscriptionRow>(
    `SELECT s.endpoint, s.user_id, s.establishment_id, s.p256dh, s.auth
     FROM push_subscriptions s JOIN users u ON u.id = s.user_id
     WHERE u.disabled_at IS NULL ORDER BY s.establishment_id, s.user_id, s.created_at, s.endpoint`,
  );
  if (subscriptions.length === 0) return run;
  const keys = await vapidKeys(deps.db);
  const establishments = [...new Set(subscriptions.map((s) => s.establishment_id))];
  for (const establishmentId of establishments) {
    try {
      const theirs = subscriptions.filter((s) => s.establishment_id === establishmentId);
      await remindEstablishment(deps, keys, establishmentId, theirs, now, run);
    } catch (error) {
      deps.log.error({ err: safeError(error), establishmentId }, 'reminders for an establishment failed; they are tried again at the next run');
    }
  }
  return run;
}

/** Every five minutes: an overdue reminder goes out within minutes of the hour it becomes due. */
export const REMINDER_EVERY_MS = 5 * 60_000;

/**
 * Runs sendReminders in the background, the first time shortly after start and then every few
 * minutes, never two runs at once in this process. A run that fails is logged and the next one
 * comes as usual. stop() waits for a run under way, so the database is not closed beneath it.
 */
export function scheduleReminders(
  deps: ReminderDeps & { now: () => Date },
  timing: Timing = { firstMs: 30_000, everyMs: REMINDER_EVERY_MS },
): { stop(): Promise<void> } {
  return runPeriodically(() => sendReminders(deps, deps.now()), timing, (error) => {
    deps.log.error({ err: safeError(error) }, 'sending reminders failed; they are tried again at the next run');
  });
}
