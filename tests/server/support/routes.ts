// The route table: every /api route, with a valid request for it and the status each actor must
// get. Each row names its endpoint in the API's table (src/shared/api/endpoints.ts), which gives
// its method and route; the request (url, body) and the statuses stay written out here. The
// authorisation matrix (auth/matrix.test.ts) checks exactly these statuses; the hostile input
// property test (hostile-input.test.ts) throws generated values at the same routes.
import { createECDH, randomBytes } from 'node:crypto';
import { endpoints, type EndpointName } from '../../../src/shared/api/endpoints.ts';
import { PHOTO_BATCH_TYPE, photoFrameHeader } from '../../../src/shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/mutations.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import { PHOTO, PHOTO_SHA } from './evidence.ts';
import type { World } from './world.ts';

const PLAN_TSV = 'Rec No\tConcern\tAction\tOwner\tTarget Date\n1.7\tFood was cold.\tDaily servery checks.\tHead of Residence\tApril 2026';

const NO_SUCH_PACK = '00000000-0000-4000-8000-000000000000';

/** A browser's push subscription keys: a real P-256 public key and a 16-byte secret. */
const PUSH_KEYS = { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };

const SECTION = { id: 'main', title: 'Main', items: [{ kind: 'pass-fail', id: 'clean', question: 'Is it clean?' }] };

export const ACTORS = ['anonymous', 'unit-manager', 'duty-governor', 'head-of-residence', 'admin', 'other-establishment'] as const;
export type Actor = (typeof ACTORS)[number];

export const USERNAMES: Record<Exclude<Actor, 'anonymous'>, string> = {
  'unit-manager': 'so.demo',
  'duty-governor': 'dg.demo',
  'head-of-residence': 'hor.demo',
  'admin': 'admin.demo',
  'other-establishment': 'admin.other',
};

export interface RouteRow {
  endpoint: EndpointName;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  url: (world: World) => string;
  body?: (actor: Actor, n: number, world: World) => unknown;
  headers?: Record<string, string>;
  /** The call ends the session: use a fresh one. */
  endsSession?: boolean;
  expect: Record<Actor, number>;
}

const everyone = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, number>;
const signedIn = (status: number) => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status: number, other: number) => ({
  ...signedIn(403),
  'admin': status,
  'other-establishment': other,
});

const ROWS: Omit<RouteRow, 'method' | 'route'>[] = [
  { endpoint: 'health', url: () => '/api/health', expect: everyone(200) },
  {
    endpoint: 'session.signIn',
    url: () => '/api/session',
    body: (actor) => ({ username: actor === 'anonymous' ? 'so.demo' : USERNAMES[actor], password: 'correct horse battery staple' }),
    expect: everyone(200),
  },
  { endpoint: 'session.me', url: () => '/api/me', expect: signedIn(200) },
  {
    // Reaches the handler and is refused there (the new password must differ), so no one's
    // password changes under the other rows.
    endpoint: 'session.changePassword',
    url: () => '/api/session/password',
    body: () => ({ currentPassword: 'correct horse battery staple', newPassword: 'correct horse battery staple' }),
    expect: signedIn(400),
  },
  {
    // Each actor "switches" to the establishment they are already in; the demo one is not admin.other's.
    endpoint: 'session.switchEstablishment',
    url: () => '/api/session/establishment',
    body: (_actor, _n, w) => ({ establishmentId: w.demoId }),
    expect: { ...signedIn(200), 'other-establishment': 403 },
  },
  { endpoint: 'session.signOut', url: () => '/api/session', endsSession: true, expect: signedIn(204) },
  // Single sign-on: the tests that walk this table run the app with a provider (../../support/oidc-provider.ts).
  { endpoint: 'session.options', url: () => '/api/session/options', expect: everyone(200) },
  {
    endpoint: 'session.oidcStart',
    url: () => '/api/session/oidc/start',
    body: (_actor, _n, w) => ({ establishmentId: w.demoId, returnTo: '/actions' }),
    expect: everyone(200),
  },
  {
    // A state the server never gave out: back to the sign-in page with a message, for anyone.
    endpoint: 'session.oidcCallback',
    url: () => '/api/session/oidc/callback?state=never-issued&code=made-up',
    expect: everyone(303),
  },
  { endpoint: 'users.list', url: () => '/api/users', expect: adminOnly(200, 200) },
  {
    endpoint: 'users.create',
    url: () => '/api/users',
    body: (actor, n) => ({ username: `new.${actor}.${n}`, displayName: 'New Person', password: 'a long enough password', roles: ['unit-manager'] }),
    expect: adminOnly(201, 201),
  },
  {
    // Reaches the handler and is refused there (nobody has the username), so no membership changes under the other rows.
    endpoint: 'users.addMember',
    url: () => '/api/users/memberships',
    body: (actor, n) => ({ username: `nobody.${actor}.${n}`, roles: ['duty-governor'] }),
    expect: adminOnly(404, 404),
  },
  {
    endpoint: 'users.update',
    url: (w) => `/api/users/${w.userIds['so.demo'] ?? ''}`,
    body: () => ({ displayName: 'Sam Officer' }),
    expect: adminOnly(200, 403),
  },
  {
    endpoint: 'users.resetPassword',
    url: (w) => `/api/users/${w.targetUserId}/password`,
    body: () => ({ password: 'correct horse battery staple' }),
    expect: adminOnly(204, 403),
  },
  { endpoint: 'units.list', url: () => '/api/units', expect: signedIn(200) },
  {
    endpoint: 'units.create',
    url: () => '/api/units',
    body: (actor, n) => ({ name: `Unit ${actor} ${n}`, landings: ['1s'] }),
    expect: adminOnly(201, 201),
  },
  {
    endpoint: 'units.update',
    url: (w) => `/api/units/${w.demoUnitId}`,
    body: () => ({ landings: ['1s', '2s', '3s'] }),
    expect: adminOnly(200, 403),
  },
  {
    endpoint: 'plans.parse',
    url: () => '/api/plans/parse',
    body: () => Buffer.from(PLAN_TSV),
    headers: { 'content-type': 'text/plain', 'x-file-name': 'plan.txt' },
    expect: adminOnly(200, 200),
  },
  {
    endpoint: 'plans.import',
    url: () => '/api/plans',
    body: () => ({ title: 'Imported plan', plan: parsePlanText(PLAN_TSV, 'plan.txt') }),
    expect: adminOnly(201, 201),
  },
  { endpoint: 'plans.list', url: () => '/api/plans', expect: signedIn(200) },
  { endpoint: 'plans.get', url: (w) => `/api/plans/${w.demoPlanId}`, expect: { ...signedIn(200), 'other-establishment': 403 } },
  {
    endpoint: 'plans.diff',
    url: (w) => `/api/plans/${w.demoPlanId}/diff`,
    body: () => ({ plan: parsePlanText(PLAN_TSV, 'plan.txt') }),
    expect: adminOnly(200, 403),
  },
  {
    endpoint: 'plans.revise',
    url: (w) => `/api/plans/${w.demoPlanId}`,
    body: () => ({ plan: parsePlanText(PLAN_TSV, 'plan.txt') }),
    expect: adminOnly(200, 403),
  },
  { endpoint: 'plans.assignments', url: (w) => `/api/plans/${w.demoPlanId}/assignments`, expect: adminOnly(200, 403) },
  {
    endpoint: 'plans.saveAssignments',
    url: (w) => `/api/plans/${w.demoPlanId}/assignments`,
    body: () => ({ assignments: [{ actionId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a', assigneeId: null }] }),
    expect: adminOnly(200, 403),
  },
  { endpoint: 'templates.list', url: () => '/api/templates', expect: signedIn(200) },
  {
    endpoint: 'templates.create',
    url: () => '/api/templates',
    body: (actor, n) => ({ key: `matrix-${n}`, title: `Matrix check ${actor}`, sections: [SECTION] }),
    expect: adminOnly(201, 201),
  },
  {
    endpoint: 'templates.addVersion',
    url: (w) => `/api/templates/${w.demoTemplateId}/versions`,
    body: () => ({ title: 'Daily servery check', sections: [SECTION] }),
    expect: adminOnly(201, 403),
  },
  {
    endpoint: 'templates.update',
    url: (w) => `/api/templates/${w.demoTemplateId}`,
    body: () => ({ archived: false }),
    expect: adminOnly(200, 403),
  },
  { endpoint: 'schedules.list', url: () => '/api/schedules', expect: signedIn(200) },
  {
    endpoint: 'schedules.create',
    url: () => '/api/schedules',
    body: (_actor, _n, w) => ({ templateId: w.demoTemplateId, frequency: { every: 'day' }, performedBy: 'unit-manager', unitIds: [w.demoUnitId] }),
    // Another establishment's admin may not schedule HMP Demo's template on its units.
    expect: adminOnly(201, 400),
  },
  {
    endpoint: 'schedules.update',
    url: (w) => `/api/schedules/${w.demoScheduleId}`,
    body: () => ({ archived: false }),
    expect: adminOnly(200, 403),
  },
  {
    endpoint: 'blobs.put',
    url: () => `/api/blobs/${PHOTO_SHA}`,
    body: () => PHOTO,
    headers: { 'content-type': 'image/jpeg' },
    // The first upload in an establishment records the photo (201); later ones find it there (200).
    expect: { ...signedIn(200), 'unit-manager': 201, 'other-establishment': 201 },
  },
  { endpoint: 'blobs.get', url: () => `/api/blobs/${PHOTO_SHA}`, expect: signedIn(200) },
  { endpoint: 'blobs.missing', url: () => '/api/blobs/missing', body: () => ({ sha256s: [PHOTO_SHA] }), expect: signedIn(200) },
  {
    endpoint: 'blobs.putMany',
    url: () => '/api/blobs/batch',
    body: () => Buffer.concat([photoFrameHeader(PHOTO_SHA, PHOTO.length), PHOTO]),
    headers: { 'content-type': PHOTO_BATCH_TYPE },
    expect: signedIn(200),
  },
  {
    endpoint: 'sync.push',
    url: () => '/api/sync/push',
    body: (actor) => ({ clientId: `matrix-${actor}`, protocol: PROTOCOL_VERSION, mutations: [] }),
    expect: signedIn(200),
  },
  { endpoint: 'sync.pull', url: () => '/api/sync/pull?cursor=0', expect: signedIn(200) },
  { endpoint: 'actions.get', url: (w) => `/api/actions/${w.demoActionId}`, expect: { ...signedIn(200), 'other-establishment': 403 } },
  {
    endpoint: 'checks.review',
    url: (w) => `/api/checks/${w.demoCheckId}/reviews`,
    body: () => ({ decision: 'accepted' }),
    expect: { ...signedIn(403), 'head-of-residence': 201 },
  },
  {
    endpoint: 'plans.overview',
    url: (w) => `/api/plans/${w.demoPlanId}/overview`,
    expect: { ...signedIn(200), 'other-establishment': 403 },
  },
  {
    endpoint: 'coverage',
    url: () => '/api/coverage?from=2026-11-16&to=2026-11-22',
    // Another establishment's admin gets its own (empty) coverage.
    expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200, 'other-establishment': 200 },
  },
  {
    endpoint: 'coverage.checks',
    url: (w) => `/api/coverage/checks?from=2026-11-16&to=2026-11-22&scheduleId=${w.demoScheduleId}&unitId=${w.demoUnitId}&day=2026-11-18`,
    expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200, 'other-establishment': 403 },
  },
  {
    endpoint: 'gaps.list',
    url: () => '/api/gaps',
    // An admin of another establishment reads theirs (none).
    expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200, 'other-establishment': 200 },
  },
  {
    endpoint: 'gaps.review',
    url: (w) => `/api/gaps/${w.demoGapId}/review`,
    body: () => ({ decision: 'accepted' }),
    expect: { ...signedIn(403), 'head-of-residence': 200 },
  },
  // Web Push: anyone signed in subscribes their own browser (on a known push service) and ends only their own.
  { endpoint: 'push.key', url: () => '/api/push/key', expect: signedIn(200) },
  {
    endpoint: 'push.subscribe',
    url: () => '/api/push/subscriptions',
    body: (actor, n) => ({ endpoint: `https://fcm.googleapis.com/fcm/send/matrix-${actor}-${n}`, keys: PUSH_KEYS }),
    expect: signedIn(201),
  },
  {
    endpoint: 'push.unsubscribe',
    url: () => '/api/push/subscriptions',
    body: (actor, n) => ({ endpoint: `https://fcm.googleapis.com/fcm/send/matrix-${actor}-${n}` }),
    expect: signedIn(204),
  },
  {
    endpoint: 'exports.pdf',
    url: (w) => `/api/exports/evidence.pdf?planId=${w.demoPlanId}&from=2026-01-01&to=2026-12-31`,
    expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200 },
  },
  {
    endpoint: 'exports.csv',
    url: (w) => `/api/exports/evidence.csv?planId=${w.demoPlanId}&from=2026-01-01&to=2026-12-31`,
    expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200 },
  },
  {
    endpoint: 'exports.create',
    url: () => '/api/exports',
    body: (_actor, _n, w) => ({ format: 'csv', planId: w.demoPlanId, from: '2026-01-01', to: '2026-12-31' }),
    expect: { ...signedIn(403), 'head-of-residence': 202, 'admin': 202 },
  },
  { endpoint: 'exports.list', url: () => '/api/exports', expect: { ...signedIn(403), 'head-of-residence': 200, 'admin': 200, 'other-establishment': 200 } },
  // No pack by that id: those who may see packs learn no more than that.
  { endpoint: 'exports.get', url: () => `/api/exports/${NO_SUCH_PACK}`, expect: { ...signedIn(403), 'head-of-residence': 404, 'admin': 404, 'other-establishment': 404 } },
  {
    endpoint: 'exports.file',
    url: () => `/api/exports/${NO_SUCH_PACK}/file`,
    expect: { ...signedIn(403), 'head-of-residence': 404, 'admin': 404, 'other-establishment': 404 },
  },
  // Each establishment's admin prints and renews its own tags.
  { endpoint: 'units.tags', url: () => '/api/units/tags.pdf', expect: adminOnly(200, 200) },
  { endpoint: 'units.renewTags', url: () => '/api/units/tags', expect: adminOnly(201, 201) },
  { endpoint: 'audit.page', url: () => '/api/audit', expect: adminOnly(200, 200) },
  { endpoint: 'audit.verify', url: () => '/api/audit/verify', expect: adminOnly(200, 200) },
  { endpoint: 'audit.checkpoint', url: () => '/api/audit/checkpoint', expect: adminOnly(200, 200) },
  { endpoint: 'retention.get', url: () => '/api/retention', expect: adminOnly(200, 200) },
  // Keeping everything, as the demo does: no evidence goes under the other rows.
  { endpoint: 'retention.set', url: () => '/api/retention', body: () => ({ retentionYears: null }), expect: adminOnly(200, 200) },
];

export const ROUTES: RouteRow[] = ROWS.map((row) => {
  const { method, path } = endpoints[row.endpoint];
  return { ...row, method, route: path };
});
