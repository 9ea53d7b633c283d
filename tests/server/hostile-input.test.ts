// No input yields a 500. For every route of the route table (support/routes.ts, the authorisation
// matrix's), generated hostile values (NUL and lone surrogates, huge and deep structures, extreme
// numbers and dates, odd encodings, wrong types, unknown fields) go into the body, one field of a
// valid body, the path, the query and the headers, from an anonymous caller and from a signed-in
// caller allowed to use the route (with a valid CSRF token). Every answer must be below 500, and a
// 4xx must have the app's error shape; text that cannot be stored must be refused; and the server
// must still answer normally afterwards. Bounded in time: HOSTILE_MS_PER_ROUTE each.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, findSession } from '../../server/src/auth/sessions.ts';
import { ApiError } from '../../src/shared/api/errors.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { CSRF_HEADER } from '../../src/shared/auth.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import { oidcSettings, startTestProvider, TEST_APP_ORIGIN, type TestProvider } from '../support/oidc-provider.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import {
  HEADER_NAMES,
  headerText,
  hostileJson,
  hostileText,
  isPoisoned,
  poisonedText,
  rawBody,
  urlText,
  type RawBody,
} from './support/hostile.ts';
import { ROUTES, USERNAMES, type Actor, type RouteRow } from './support/routes.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { addUser, buildWorld, type World } from './support/world.ts';

const MS_PER_ROUTE = Number(process.env.HOSTILE_MS_PER_ROUTE ?? 1_000);
const RUNS_PER_ROUTE = Number(process.env.HOSTILE_RUNS ?? 60);

type Caller = 'anonymous' | 'allowed';

type Attack
  = | { kind: 'body'; json: string }
    | { kind: 'field'; pick: number; json: string }
    | { kind: 'unknown-field'; pick: number; key: string; json: string }
    | { kind: 'raw'; body: RawBody }
    | { kind: 'path'; text: string }
    | { kind: 'query'; pick: number; fresh: string | null; text: string; twice: boolean }
    | { kind: 'header'; name: string; value: string };

interface Case {
  caller: Caller;
  attack: Attack;
}

interface Request {
  method: RouteRow['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Must be refused: text that cannot be stored, in a place that is read. */
  mustRefuse: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const MARK = 'HOSTILE-VALUE-5c1e';

/** Every node of a JSON value below the root, objects and arrays included. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function objectsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [prefix];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [...here, ...entries.flatMap(([key, child]) => objectsOf(child, [...prefix, key]))];
}

function at(value: Json, path: Path): Json {
  let node = value;
  for (const key of path) node = (node as Record<string | number, Json>)[key] ?? null;
  return node;
}

/** The body as JSON text with the node at `path` (or a new key of the object there) replaced by raw JSON text. */
function spliced(body: Json, path: Path, json: string, newKey?: string): string {
  const copy = structuredClone(body);
  if (newKey === undefined && path.length === 0) return json;
  const parent = at(copy, newKey === undefined ? path.slice(0, -1) : path) as Record<string | number, Json>;
  const key = newKey ?? path.at(-1);
  if (key === undefined) return json;
  parent[key] = MARK;
  return JSON.stringify(copy).split(`"${MARK}"`).join(json);
}

const jsonIsPoisoned = (json: string) => json.startsWith('"') && json.length < 100_000 && isPoisoned(JSON.parse(json) as string);

function attacks(row: RouteRow): fc.Arbitrary<Attack> {
  const jsonRoute = row.headers?.['content-type'] === undefined && row.body !== undefined;
  const choices: fc.Arbitrary<Attack>[] = [
    hostileJson.map((json): Attack => ({ kind: 'body', json })),
    rawBody.map((body): Attack => ({ kind: 'raw', body })),
    urlText.map((text): Attack => ({ kind: 'path', text })),
    fc.record({ pick: fc.nat(), fresh: fc.option(urlText, { nil: null }), text: urlText, twice: fc.boolean() }).map((q): Attack => ({ kind: 'query', ...q })),
    fc.record({ name: fc.constantFrom(...HEADER_NAMES), value: headerText }).map((h): Attack => ({ kind: 'header', ...h })),
  ];
  if (jsonRoute) {
    const fieldJson = fc.oneof(hostileJson, poisonedText.map((text) => JSON.stringify(text)));
    choices.push(
      fc.record({ pick: fc.nat(), json: fieldJson }).map((f): Attack => ({ kind: 'field', ...f })),
      fc.record({ pick: fc.nat(), json: fieldJson }).map((f): Attack => ({ kind: 'field', ...f })),
      fc.record({ pick: fc.nat(), key: hostileText.filter((k) => k.length < 200), json: hostileJson }).map((f): Attack => ({ kind: 'unknown-field', ...f })),
    );
  }
  return fc.oneof(...choices);
}

function describeCase(row: RouteRow, c: Case): string {
  const text = JSON.stringify(c.attack, (_key, value: unknown) => (value instanceof Buffer || (value as { type?: string } | null)?.type === 'Buffer' ? '<bytes>' : value));
  return `${row.method} ${row.route} as ${c.caller}: ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
}

describe(`no input yields a 500, on ${TEST_ENGINE} (property)`, () => {
  let t: TestApp;
  // Single sign-on on, against a provider on loopback, so its routes are walked too.
  let provider: TestProvider;
  let world: World;
  let n = 0;
  // Allowed callers' sessions, by username, opened without signing in (no scrypt, no rate limit).
  const sessions = new Map<string, { cookie: string; csrfToken: string }>();

  async function sessionOf(username: string, fresh = false): Promise<{ cookie: string; csrfToken: string }> {
    const known = sessions.get(username);
    if (known && !fresh) return known;
    const [user] = await t.db.query<{ id: string; establishment_id: string }>(
      'SELECT u.id, m.establishment_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.username = $1 LIMIT 1',
      [username],
    );
    if (!user) throw new Error(`no user ${username}`);
    const { token } = await createSession(t.db, {
      userId: user.id,
      establishmentId: user.establishment_id,
      deviceId: null,
      now: t.clock.now(),
    });
    const auth = await findSession(t.db, token, t.clock.now());
    if (!auth) throw new Error('a new session could not be read back');
    const session = { cookie: `wingcheck_session=${token}`, csrfToken: auth.csrfToken };
    // A fresh one is for a call that may end it: the kept one stays usable.
    if (!fresh) sessions.set(username, session);
    return session;
  }

  /** Who may use the route: the admin, or else the head of residence (reviews). */
  const allowedActor = (row: RouteRow): Exclude<Actor, 'anonymous' | 'other-establishment'> =>
    (['admin', 'head-of-residence', 'unit-manager'] as const).find((a) => row.expect[a] < 300) ?? 'admin';

  /** A valid body for the route: the matrix's, but a push carries one real note so its mutations are reached. */
  function validBody(row: RouteRow, actor: Actor): unknown {
    n += 1;
    if (row.route === '/api/sync/push') {
      const clientId = `hostile-${n}`;
      const payload = {
        noteId: newId(), actionIds: [world.demoActionId], unitId: null, text: 'Checked the servery.', photos: [],
        startedAt: '2026-11-23T09:00:00.000Z', submittedAt: '2026-11-23T09:05:00.000Z', supersedes: null,
      };
      return { clientId, protocol: PROTOCOL_VERSION, mutations: [{ id: newId(), clientId, seq: 1, type: 'note.add', payload, createdAt: payload.submittedAt }] };
    }
    // Sign-in attempts go to a user nobody here signs in as, so their failures limit no one.
    return row.body?.(row.route === '/api/session' ? 'anonymous' : actor, n, world);
  }

  async function requestFor(row: RouteRow, c: Case): Promise<Request> {
    const actor = c.caller === 'anonymous' ? 'anonymous' : allowedActor(row);
    const headers: Record<string, string> = { ...row.headers };
    if (actor !== 'anonymous') {
      const session = await sessionOf(USERNAMES[actor], row.endsSession);
      headers.cookie = session.cookie;
      headers[CSRF_HEADER] = session.csrfToken;
    }
    const body = validBody(row, actor);
    const json = body !== undefined && !(body instanceof Buffer);
    let payload: string | Buffer | undefined = body instanceof Buffer ? body : json ? JSON.stringify(body) : undefined;
    if (json) headers['content-type'] = 'application/json';
    let url = row.url(world);
    let mustRefuse = false;
    const { attack } = c;
    switch (attack.kind) {
      case 'body':
        payload = attack.json;
        headers['content-type'] = 'application/json';
        break;
      case 'field': {
        const paths = pathsOf(body as Json);
        const path = paths[attack.pick % Math.max(1, paths.length)] ?? [];
        payload = spliced(body as Json, path, attack.json);
        // Nothing stores or looks up unstorable text: wherever it lands in a valid body, it is refused.
        mustRefuse = jsonIsPoisoned(attack.json);
        break;
      }
      case 'unknown-field': {
        const objects = objectsOf(body as Json);
        const path = objects[attack.pick % Math.max(1, objects.length)] ?? [];
        const target = at(body as Json, path) as Record<string, Json>;
        payload = spliced(body as Json, path, attack.json, attack.key);
        // Unknown fields of a body are refused (nested ones of some parts are dropped instead).
        mustRefuse = path.length === 0 && !(attack.key in target);
        break;
      }
      case 'raw':
        payload = attack.body.bytes;
        if (attack.body.contentType) headers['content-type'] = attack.body.contentType;
        else delete headers['content-type'];
        break;
      case 'path': {
        const [pathPart = '', query] = url.split('?');
        const segments = pathPart.split('/');
        const index = row.route.split('/').findIndex((s) => s.startsWith(':'));
        segments[index === -1 ? segments.length - 1 : index] = attack.text;
        url = segments.join('/') + (query === undefined ? '' : `?${query}`);
        mustRefuse = index !== -1 && attack.text.includes('%00');
        break;
      }
      case 'query': {
        const [pathPart = '', query = ''] = url.split('?');
        const pairs = query ? query.split('&').map((p) => p.split('=') as [string, string]) : [];
        const pick = attack.fresh === null && pairs.length > 0 ? attack.pick % pairs.length : -1;
        if (pick >= 0) {
          const [key] = pairs[pick] ?? [''];
          pairs[pick] = [key, attack.text];
          if (attack.twice) pairs.push([key, attack.text]);
          mustRefuse = attack.text.includes('%00');
        } else {
          pairs.push([attack.fresh ?? 'x', attack.text]);
        }
        url = `${pathPart}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
        break;
      }
      case 'header':
        headers[attack.name] = attack.value;
        break;
    }
    return { method: row.method, url, headers, payload, mustRefuse };
  }

  // What the server logged as failing: shown with a 500, to say where it broke.
  const serverErrors: string[] = [];
  beforeAll(async () => {
    const stream = { write: (line: string) => serverErrors.push(line) };
    provider = await startTestProvider([TEST_APP_ORIGIN]);
    t = await startTestApp({ logger: { level: 'error', stream }, oidc: oidcSettings(provider.issuer), publicUrl: TEST_APP_ORIGIN });
    world = await buildWorld(t.db);
    // Checks, after each case, that an ordinary request still works: nothing the cases do touches this person.
    await addUser(t.db, 'hostile.watcher', world.demoId, ['unit-manager']);
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  async function expectHealthy(where: string): Promise<void> {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode, `health after ${where}`).toBe(200);
    const watcher = await sessionOf('hostile.watcher');
    const me = await t.app.inject({ method: 'GET', url: '/api/units', headers: { cookie: watcher.cookie } });
    expect(me.statusCode, `a normal request after ${where}`).toBe(200);
  }

  for (const row of ROUTES) {
    it(`${row.method} ${row.route}`, async () => {
      const property
        = fc.asyncProperty(fc.record({ caller: fc.constantFrom<Caller>('anonymous', 'allowed'), attack: attacks(row) }), async (c) => {
          const where = describeCase(row, c);
          const request = await requestFor(row, c);
          serverErrors.length = 0;
          const { method, url, headers, payload } = request;
          const res = await t.app.inject({ method, url, headers, payload });
          const said = `${where} -> ${res.body.slice(0, 300)} ${serverErrors.join('\n').slice(0, 2000)}`;
          expect(res.statusCode, said).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const body = res.json<Record<string, unknown>>();
            expect(Object.keys(body).sort(), where).toEqual(['code', 'error', 'issues', 'message']);
            const { error, code, message, issues } = ApiError.parse(body);
            expect(code === error && message.length > 0 && Array.isArray(issues), where).toBe(true);
          }
          if (request.mustRefuse) {
            if (row.route === '/api/sync/push' && res.statusCode === 200) {
              // The envelope was fine: the mutation carrying it is refused alone.
              const { results } = PushResponse.parse(res.json());
              expect(results.map((r) => r.status), where).toEqual(results.map(() => 'rejected'));
            } else {
              expect(res.statusCode, `${where} must be refused`).toBeGreaterThanOrEqual(400);
            }
          }
          await expectHealthy(where);
        });
      // The first case runs however long it takes (a route's first call may start a worker, slow on a
      // loaded machine: interrupted before any case ran, the property failed); the limit is for the rest.
      await fc.assert(property, { numRuns: 1 });
      await fc.assert(property, {
        numRuns: RUNS_PER_ROUTE,
        interruptAfterTimeLimit: MS_PER_ROUTE,
        markInterruptAsFailure: false,
      });
    });
  }
});
