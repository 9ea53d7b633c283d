// Web Push reminders (issue 21): subscriptions kept per person, VAPID-signed and encrypted pushes to a
// stand-in push service on loopback, each reminder sent once, and escalation to the head of residence.
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushKey, ReminderPayload } from '../../src/shared/api/push.ts';
import { newId } from '../../src/shared/ids.ts';
import { loadConfig, StartupError } from '../../server/src/config.ts';
import type { Db } from '../../server/src/db/client.ts';
import { isAllowedPushEndpoint, pushSettings, scheduleReminders, sendReminders, type ReminderDeps } from '../../server/src/services/push.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { buildWorld, call, signIn, type Session, type World } from './support/world.ts';

// http_ece (web-push's own encryption, RFC 8188) has no types: only its decrypt is used, to read what a browser would.
const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(body: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
};

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface StandIn {
  origin: string;
  received: Received[];
  /** The status to answer a path with; 201 when not set. */
  answers: Map<string, number>;
  close(): Promise<void>;
}

/** A push service on loopback: records every request and answers 201, or what a test sets for a path. */
async function startStandIn(): Promise<StandIn> {
  const received: Received[] = [];
  const answers = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      received.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks) });
      response.statusCode = answers.get(path) ?? 201;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    answers,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    }),
  };
}

/** A browser's side of a subscription: its P-256 key pair and auth secret. */
function browserKeys(): { ecdh: ECDH; p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/** The VAPID public key (raw uncompressed point, base64url) as a key node can verify with. */
function vapidPublicKey(raw: string) {
  const point = Buffer.from(raw, 'base64url');
  expect(point).toHaveLength(65);
  expect(point[0]).toBe(4);
  const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** A schedule on one of its units, with its template's key and newest version. */
interface ScheduledUnit {
  key: string;
  unit: string;
  schedule_id: string;
  template_version_id: string;
  unit_id: string;
}

const jsonPart = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe(`Web Push reminders on ${TEST_ENGINE}`, () => {
  let standIn: StandIn;
  let t: TestApp;
  let world: World;
  let so: Session;
  let hor: Session;
  let deps: ReminderDeps;
  const logged: { level: 'warn' | 'error'; message: string }[] = [];
  const soBrowser = browserKeys();
  const horBrowser = browserKeys();
  // 17:00 in London (GMT in November) on the test clock's Monday: today's checks are overdue from 16:00.
  const EVENING = new Date('2026-11-23T17:00:00Z');
  const TODAY = '2026-11-23';
  const YESTERDAY = '2026-11-22';

  const subscribe = (session: Session | null, endpoint: string, keys: { p256dh: string; auth: string }) =>
    call(t.app, session, 'POST', '/api/push/subscriptions', { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } });
  const sentTo = (path: string) => standIn.received.filter((r) => r.path === path);
  const decrypted = (request: Received, browser: { ecdh: ECDH; auth: string }) =>
    ReminderPayload.parse(JSON.parse(ece.decrypt(request.body, { version: 'aes128gcm', privateKey: browser.ecdh, authSecret: browser.auth }).toString('utf8')));
  const subscriptionRows = () => t.db.query<{ endpoint: string; user_id: string }>('SELECT endpoint, user_id FROM push_subscriptions ORDER BY endpoint');

  beforeAll(async () => {
    standIn = await startStandIn();
    t = await startTestApp({ pushServiceOrigins: [standIn.origin] });
    world = await buildWorld(t.db);
    so = await signIn(t.app, 'so.demo');
    hor = await signIn(t.app, 'hor.demo');
    deps = {
      db: t.db,
      push: pushSettings([standIn.origin], null),
      log: {
        warn: (_details, message) => logged.push({ level: 'warn', message }),
        error: (_details, message) => logged.push({ level: 'error', message }),
      },
    };
    // The demo (without history) did no checks at all. Settle two: A Wing's servery check done today,
    // and B Wing's unit cleaning of yesterday explained.
    const ids = await t.db.query<ScheduledUnit>(
      `SELECT t.key, u.name AS unit, s.id AS schedule_id, u.id AS unit_id,
              (SELECT v.id FROM template_versions v WHERE v.template_id = t.id ORDER BY v.version DESC LIMIT 1) AS template_version_id
       FROM schedules s JOIN templates t ON t.id = s.template_id JOIN schedule_units su ON su.schedule_id = s.id JOIN units u ON u.id = su.unit_id
       WHERE s.establishment_id = $1`,
      [world.demoId],
    );
    const of = (key: string, unit: string) => {
      const found = ids.find((r) => r.key === key && r.unit === unit);
      if (!found) throw new Error(`no ${key} on ${unit}`);
      return found;
    };
    const servery = of('daily-servery-check', 'A Wing');
    await t.db.query(
      `INSERT INTO checks (id, establishment_id, kind, template_version_id, schedule_id, due_on, day, unit_id, author_id, device_id,
                           started_at, submitted_at, received_at)
       VALUES ($1, $2, 'check', $3, $4, $5, $5, $6, $7, 'push-test', $8, $8, $8)`,
      [newId(), world.demoId, servery.template_version_id, servery.schedule_id, TODAY, servery.unit_id, world.userIds['so.demo'] ?? '', '2026-11-23T08:00:00Z'],
    );
    const cleaning = of('daily-unit-cleaning', 'B Wing');
    await t.db.query(
      `INSERT INTO gap_explanations (id, establishment_id, schedule_id, unit_id, due_on, reason, author_id, explained_at, received_at)
       VALUES ($1, $2, $3, $4, $5, 'lockdown', $6, now(), now())`,
      [newId(), world.demoId, cleaning.schedule_id, cleaning.unit_id, YESTERDAY, world.userIds['so.demo'] ?? ''],
    );
  });
  afterAll(async () => {
    await t.close();
    await standIn.close();
  });

  it('asks for a session on every push route', async () => {
    expect((await call(t.app, null, 'GET', '/api/push/key')).statusCode).toBe(401);
    expect((await subscribe(null, `${standIn.origin}/anonymous`, soBrowser)).statusCode).toBe(401);
    expect((await call(t.app, null, 'DELETE', '/api/push/subscriptions', { endpoint: `${standIn.origin}/anonymous` })).statusCode).toBe(401);
    expect(await subscriptionRows()).toEqual([]);
  });

  it('gives one VAPID public key, made once and kept in the database', async () => {
    const first = await call(t.app, so, 'GET', '/api/push/key');
    expect(first.statusCode, first.body).toBe(200);
    const { publicKey } = PushKey.parse(first.json());
    vapidPublicKey(publicKey);
    const again = PushKey.parse((await call(t.app, hor, 'GET', '/api/push/key')).json());
    expect(again.publicKey).toBe(publicKey);
    const rows = await t.db.query<{ public_key: string }>('SELECT public_key FROM push_vapid_keys');
    expect(rows).toEqual([{ public_key: publicKey }]);
  });

  it('refuses a push service not on the allow-list, and a subscription that is not one, with a reason', async () => {
    const refused = await subscribe(so, 'https://evil.example/steal', soBrowser);
    expect(refused.statusCode, refused.body).toBe(400);
    const { message } = refused.json<{ message: string }>();
    expect(message).toMatch(/endpoint: must be a browser's push service .*https:\/\/evil\.example/);
    // Lookalikes of the known services, plain http to one, and a port on one are not them.
    for (const endpoint of [
      'https://fcm.googleapis.com.evil.example/x',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com:8443/fcm/send/x',
      'https://evilnotify.windows.com/x',
      'http://127.0.0.1:1/x',
    ]) {
      expect((await subscribe(so, endpoint, soBrowser)).statusCode, endpoint).toBe(400);
    }
    const malformed: unknown[] = [
      { endpoint: 'not a url', keys: { p256dh: soBrowser.p256dh, auth: soBrowser.auth } },
      { endpoint: `${standIn.origin}/so/x`, keys: { p256dh: soBrowser.p256dh.slice(1), auth: soBrowser.auth } },
      { endpoint: `${standIn.origin}/so/x`, keys: { p256dh: soBrowser.p256dh, auth: 'short' } },
      { endpoint: `${standIn.origin}/so/x`, keys: { p256dh: `B${'A'.repeat(86)}`, auth: soBrowser.auth } },
      { endpoint: `${standIn.origin}/so/x` },
    ];
    for (const body of malformed) {
      expect((await call(t.app, so, 'POST', '/api/push/subscriptions', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await subscriptionRows()).toEqual([]);
  });

  it('keeps a browser\'s subscription for the signed-in person; a known push service is accepted too', async () => {
    const res = await subscribe(so, `${standIn.origin}/so/1`, soBrowser);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ endpoint: `${standIn.origin}/so/1` });
    // As PushSubscription.toJSON() gives it, expirationTime and all.
    const toJson = { endpoint: 'https://web.push.apple.com/QGuQyavXutnMH', expirationTime: null, keys: { p256dh: soBrowser.p256dh, auth: soBrowser.auth } };
    expect((await call(t.app, so, 'POST', '/api/push/subscriptions', toJson)).statusCode).toBe(201);
    expect((await subscribe(so, 'https://wns2-by3p.notify.windows.com/w/?token=abc', soBrowser)).statusCode).toBe(201);
    expect(await subscriptionRows()).toEqual([
      { endpoint: `${standIn.origin}/so/1`, user_id: world.userIds['so.demo'] },
      { endpoint: 'https://web.push.apple.com/QGuQyavXutnMH', user_id: world.userIds['so.demo'] },
      { endpoint: 'https://wns2-by3p.notify.windows.com/w/?token=abc', user_id: world.userIds['so.demo'] },
    ]);
    // Only the stand-in is reachable from here: the others are ended again.
    for (const endpoint of ['https://web.push.apple.com/QGuQyavXutnMH', 'https://wns2-by3p.notify.windows.com/w/?token=abc']) {
      expect((await call(t.app, so, 'DELETE', '/api/push/subscriptions', { endpoint })).statusCode).toBe(204);
    }
  });

  it('pushes nothing before the overdue hour', async () => {
    const run = await sendReminders(deps, new Date('2026-11-23T10:00:00Z'));
    expect(run).toEqual({ sent: 0, removed: 0, failed: 0 });
    expect(standIn.received).toEqual([]);
  });

  it('pushes the overdue checks at 17:00, VAPID-signed and encrypted for the browser', async () => {
    const run = await sendReminders(deps, EVENING);
    expect(run).toEqual({ sent: 1, removed: 0, failed: 0 });
    const [push, ...others] = sentTo('/so/1');
    expect(others).toEqual([]);
    expect(standIn.received).toHaveLength(1);
    if (!push) throw new Error('nothing was pushed');
    expect(push.method).toBe('POST');
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);

    const { publicKey } = PushKey.parse((await call(t.app, so, 'GET', '/api/push/key')).json());
    const authorization = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(push.headers.authorization ?? '');
    if (!authorization) throw new Error(`not a VAPID authorization: ${push.headers.authorization ?? '(none)'}`);
    const [, header = '', claims = '', signature = '', k] = authorization;
    expect(k).toBe(publicKey);
    expect(jsonPart(header)).toMatchObject({ alg: 'ES256' });
    const signed = verify('sha256', Buffer.from(`${header}.${claims}`), { key: vapidPublicKey(publicKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    expect(signed).toBe(true);
    const jwt = jsonPart(claims);
    expect(jwt.aud).toBe(standIn.origin);
    expect(typeof jwt.exp === 'number' && jwt.exp * 1000 > Date.now()).toBe(true);
    expect(String(jwt.sub)).toMatch(/^(mailto:|https:)/);

    // so.demo runs A Wing and B Wing: today's checks but A Wing's servery (done), and yesterday's daily
    // checks but B Wing's cleaning (explained).
    const payload = decrypted(push, soBrowser);
    expect(payload).toEqual({
      title: 'Wingcheck: 8 checks overdue',
      body: '8 checks overdue: Daily servery check on B Wing, Daily unit cleaning checklist on A Wing, '
        + 'Daily unit cleaning checklist on B Wing, Weekly unit cleaning checklist on A Wing, Weekly unit cleaning checklist on B Wing, and 3 more',
      url: '/',
      tag: `overdue-${TODAY}`,
    });
    expect(logged).toEqual([]);
  });

  it('sends a reminder once: the next run, and another server on the same database, send nothing more', async () => {
    expect(await sendReminders(deps, new Date('2026-11-23T17:05:00Z'))).toEqual({ sent: 0, removed: 0, failed: 0 });
    expect(await sendReminders({ ...deps }, new Date('2026-11-23T21:00:00Z'))).toEqual({ sent: 0, removed: 0, failed: 0 });
    expect(standIn.received).toHaveLength(1);
    const claims = await t.db.query<{ claim_key: string }>('SELECT claim_key FROM push_reminders_sent');
    expect(claims).toEqual([{ claim_key: `overdue:${world.userIds['so.demo'] ?? ''}:${world.demoId}:${TODAY}` }]);
  });

  it('tells the head of residence of each daily check missed two days running', async () => {
    expect((await subscribe(hor, `${standIn.origin}/hor/1`, horBrowser)).statusCode).toBe(201);
    const run = await sendReminders(deps, new Date('2026-11-23T17:10:00Z'));
    const pushes = sentTo('/hor/1');
    // Every daily check on every unit went undone on the 21st and 22nd (servery on 4 wings, cleaning and
    // the duty governor's round on 6 units), but B Wing's cleaning, explained on the 22nd.
    expect(pushes).toHaveLength(15);
    expect(run).toEqual({ sent: 15, removed: 0, failed: 0 });
    const payloads = pushes.map((p) => decrypted(p, horBrowser));
    expect(payloads).toContainEqual({
      title: 'Wingcheck: a daily check missed two days running',
      body: `Daily unit cleaning checklist on A Wing was missed two days running (2026-11-21 and ${YESTERDAY}), with no explanation.`,
      url: '/coverage',
      tag: expect.stringMatching(new RegExp(`^escalation-.*-${YESTERDAY}$`)) as unknown,
    });
    expect(payloads.filter((p) => p.body.startsWith('Daily unit cleaning checklist on B Wing'))).toEqual([]);
    expect(new Set(payloads.map((p) => p.tag)).size).toBe(15);
    // Once each.
    expect(await sendReminders(deps, new Date('2026-11-23T17:15:00Z'))).toEqual({ sent: 0, removed: 0, failed: 0 });
  });

  it('ends a subscription its push service says is gone (410)', async () => {
    const dg = await signIn(t.app, 'dg.demo');
    expect((await subscribe(dg, `${standIn.origin}/dg/gone`, browserKeys())).statusCode).toBe(201);
    standIn.answers.set('/dg/gone', 410);
    const run = await sendReminders(deps, new Date('2026-11-23T17:20:00Z'));
    expect(run).toEqual({ sent: 0, removed: 1, failed: 0 });
    expect(sentTo('/dg/gone')).toHaveLength(1);
    expect((await subscriptionRows()).map((r) => r.endpoint)).not.toContain(`${standIn.origin}/dg/gone`);
  });

  it('tries again at the next run when the push service was failing', async () => {
    // target.demo is a unit manager of no unit in particular: every unit's checks are theirs.
    const target = await signIn(t.app, 'target.demo');
    const browser = browserKeys();
    expect((await subscribe(target, `${standIn.origin}/target/1`, browser)).statusCode).toBe(201);
    standIn.answers.set('/target/1', 503);
    expect(await sendReminders(deps, new Date('2026-11-23T17:25:00Z'))).toEqual({ sent: 0, removed: 0, failed: 1 });
    expect(logged.map((l) => l.level)).toEqual(['warn']);
    standIn.answers.delete('/target/1');
    expect(await sendReminders(deps, new Date('2026-11-23T17:30:00Z'))).toEqual({ sent: 1, removed: 0, failed: 0 });
    const [, delivered] = sentTo('/target/1');
    if (!delivered) throw new Error('not sent again');
    expect(decrypted(delivered, browser).body).toMatch(/^\d+ checks overdue: Daily servery check on B Wing, /);
  });

  it('ends only the caller\'s own subscription', async () => {
    const before = await subscriptionRows();
    expect(before.map((r) => r.endpoint)).toEqual(expect.arrayContaining([`${standIn.origin}/hor/1`, `${standIn.origin}/so/1`]));
    // so.demo names the head of residence's browser: the same answer, and it stays.
    expect((await call(t.app, so, 'DELETE', '/api/push/subscriptions', { endpoint: `${standIn.origin}/hor/1` })).statusCode).toBe(204);
    expect(await subscriptionRows()).toEqual(before);
    expect((await call(t.app, so, 'DELETE', '/api/push/subscriptions', { endpoint: `${standIn.origin}/so/1` })).statusCode).toBe(204);
    expect((await subscriptionRows()).map((r) => r.endpoint)).toEqual(before.map((r) => r.endpoint).filter((e) => e !== `${standIn.origin}/so/1`));
    expect((await call(t.app, so, 'DELETE', '/api/push/subscriptions', { endpoint: 'not a url' })).statusCode).toBe(400);
  });

  it('moves a browser\'s subscription to whoever subscribes it next (a shared tablet)', async () => {
    const shared = `${standIn.origin}/shared`;
    expect((await subscribe(so, shared, soBrowser)).statusCode).toBe(201);
    expect((await subscribe(hor, shared, soBrowser)).statusCode).toBe(201);
    const rows = (await subscriptionRows()).filter((r) => r.endpoint === shared);
    expect(rows).toEqual([{ endpoint: shared, user_id: world.userIds['hor.demo'] }]);
  });
});

describe('push settings and the periodic run', () => {
  it('reads PUSH_SERVICE_ORIGINS as origins, and refuses what is not one', () => {
    expect(loadConfig({}).pushServiceOrigins).toEqual([]);
    const { pushServiceOrigins } = loadConfig({ PUSH_SERVICE_ORIGINS: ' http://127.0.0.1:5555 , https://push.example.org/ ' });
    expect(pushServiceOrigins).toEqual(['http://127.0.0.1:5555', 'https://push.example.org']);
    const settings = pushSettings(pushServiceOrigins, null);
    expect(isAllowedPushEndpoint('http://127.0.0.1:5555/device/1', settings)).toBe(true);
    expect(isAllowedPushEndpoint('http://127.0.0.1:5556/device/1', settings)).toBe(false);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', settings)).toBe(true);
    expect(isAllowedPushEndpoint('https://db5p.notify.windows.com/w/?token=abc', settings)).toBe(true);
    expect(isAllowedPushEndpoint('https://api.push.apple.com/3/device/abc', settings)).toBe(true);
    expect(isAllowedPushEndpoint('https://169.254.169.254/latest', settings)).toBe(false);
    for (const bad of ['ftp://push.example.org', 'https://push.example.org/path', 'not a url']) {
      expect(() => loadConfig({ PUSH_SERVICE_ORIGINS: bad }), bad).toThrow(StartupError);
    }
  });

  it('signs as the app\'s https address when it has one, else a mailto:', () => {
    expect(pushSettings([], 'https://wingcheck.example.gov.uk').subject).toBe('https://wingcheck.example.gov.uk');
    expect(pushSettings([], 'http://localhost:8080').subject).toMatch(/^mailto:/);
  });

  it('runs in the background, logs a failed run and carries on, and stops', async () => {
    let calls = 0;
    const failing = {
      query: () => {
        calls += 1;
        return Promise.reject(new Error('the database is away'));
      },
    } as unknown as Db;
    const errors: string[] = [];
    const runner = scheduleReminders(
      {
        db: failing,
        push: pushSettings([], null),
        log: { warn: () => undefined, error: (_details, message) => errors.push(message) },
        now: () => new Date(),
      },
      { firstMs: 0, everyMs: 10 },
    );
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await runner.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(stoppedAt);
    expect(errors[0]).toMatch(/sending reminders failed/);
  });
});
