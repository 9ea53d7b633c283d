/**
 * Every endpoint of the API in one table: method, path, who may call it, what the request carries
 * and what the answer is. The client's calls (src/api) and the server's routes (their validation
 * and access check) both read it, so the two cannot drift apart. Errors are always ApiError
 * (./errors.ts): `{error, code, message, issues}`.
 */
import {
  ChangePasswordRequest,
  OidcCallbackQuery,
  OidcStartRequest,
  OidcStartResponse,
  SessionInfo,
  SessionOptions,
  SignInRequest,
  SignOutResponse,
  SwitchEstablishmentRequest,
} from '../auth.ts';
import { PlanPreview } from '../plan-import/schema.ts';
import {
  AddMemberRequest,
  AuditCheckpoint,
  AuditQuery,
  AuditRow,
  AuditVerifyQuery,
  AuditVerifyResponse,
  CreateUnitRequest,
  CreateUserRequest,
  IdParams,
  ResetPasswordRequest,
  RetentionRequest,
  RetentionSettings,
  TagSheetVersion,
  Unit,
  UpdateUnitRequest,
  UpdateUserRequest,
  UserSummary,
} from './admin.ts';
import {
  CreateScheduleRequest,
  CreateTemplateRequest,
  Schedule,
  TemplateDraft,
  TemplateVersionRecord,
  UpdateScheduleRequest,
  UpdateTemplateRequest,
} from './capture.ts';
import { GapExplanation, GapList, GapReviewRequest, GapsQuery } from './gaps.ts';
import { CoverageCellChecks, CoverageChecksQuery, CoverageQuery, CoverageResponse } from './coverage.ts';
import { endpoint } from './endpoint.ts';
import { ExportJob, ExportJobRequest, ExportQuery } from './export.ts';
import { HealthResponse } from './health.ts';
import {
  ImportPlanRequest,
  PlanAssignments,
  PlanDetail,
  PlanDiffResponse,
  PlanSummary,
  RevisePlanRequest,
  RevisePlanResponse,
  SaveAssignmentsRequest,
  SaveAssignmentsResponse,
} from './plans.ts';
import { PushKey, PushSubscribed, PushSubscriptionRequest, PushUnsubscribeRequest } from './push.ts';
import { ActionDetail, ActionDetailQuery, PlanOverview, Review, ReviewRequest } from './review.ts';
import {
  BlobParams,
  MissingBlobsRequest,
  MissingBlobsResponse,
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  StoredBlob,
  StoredBlobs,
} from './sync.ts';

const ADMIN = ['admin'] as const;
const OVERSIGHT = ['head-of-residence', 'admin'] as const;

export const endpoints = {
  // The server is up, with its database engine and version; 503 (ApiError) when the database is not answering.
  'health': endpoint({ method: 'GET', path: '/api/health', access: 'public', response: HealthResponse }),

  // Signing in and out, and who am I.
  'session.signIn': endpoint({ method: 'POST', path: '/api/session', access: 'public', body: SignInRequest, response: SessionInfo }),
  'session.me': endpoint({ method: 'GET', path: '/api/me', access: 'signed-in', response: SessionInfo }),
  'session.changePassword': endpoint({
    method: 'POST', path: '/api/session/password', access: 'signed-in', body: ChangePasswordRequest, response: SessionInfo,
  }),
  'session.switchEstablishment': endpoint({
    method: 'POST', path: '/api/session/establishment', access: 'signed-in', body: SwitchEstablishmentRequest, response: SessionInfo,
  }),
  // 204 for a password session; a single sign-on session also gets the provider's sign-out address.
  'session.signOut': endpoint({ method: 'DELETE', path: '/api/session', access: 'signed-in', response: SignOutResponse.optional() }),
  'session.options': endpoint({ method: 'GET', path: '/api/session/options', access: 'public', response: SessionOptions }),
  'session.oidcStart': endpoint({
    method: 'POST', path: '/api/session/oidc/start', access: 'public', body: OidcStartRequest, response: OidcStartResponse,
  }),
  // The identity provider sends the browser back here; the answer is a redirect into the app.
  'session.oidcCallback': endpoint({ method: 'GET', path: '/api/session/oidc/callback', access: 'public', query: OidcCallbackQuery, response: 'file' }),

  // People, units, audit and retention: the admin screens.
  'users.list': endpoint({ method: 'GET', path: '/api/users', access: ADMIN, response: UserSummary.array() }),
  'users.create': endpoint({ method: 'POST', path: '/api/users', access: ADMIN, body: CreateUserRequest, response: UserSummary, status: 201 }),
  'users.addMember': endpoint({
    method: 'POST', path: '/api/users/memberships', access: ADMIN, body: AddMemberRequest, response: UserSummary, status: 201,
  }),
  'users.update': endpoint({ method: 'PATCH', path: '/api/users/:id', access: ADMIN, params: IdParams, body: UpdateUserRequest, response: UserSummary }),
  'users.resetPassword': endpoint({
    method: 'PUT', path: '/api/users/:id/password', access: ADMIN, params: IdParams, body: ResetPasswordRequest, response: 'none', status: 204,
  }),
  'units.list': endpoint({ method: 'GET', path: '/api/units', access: 'signed-in', response: Unit.array() }),
  'units.create': endpoint({ method: 'POST', path: '/api/units', access: ADMIN, body: CreateUnitRequest, response: Unit, status: 201 }),
  // Location tags: the printable sheet (made with the current key), and a new key that revokes every sheet printed before.
  'units.tags': endpoint({ method: 'GET', path: '/api/units/tags.pdf', access: ADMIN, response: 'file' }),
  'units.renewTags': endpoint({ method: 'POST', path: '/api/units/tags', access: ADMIN, response: TagSheetVersion, status: 201 }),
  'units.update': endpoint({ method: 'PATCH', path: '/api/units/:id', access: ADMIN, params: IdParams, body: UpdateUnitRequest, response: Unit }),
  'audit.page': endpoint({ method: 'GET', path: '/api/audit', access: ADMIN, query: AuditQuery, response: AuditRow.array() }),
  'audit.verify': endpoint({ method: 'GET', path: '/api/audit/verify', access: ADMIN, query: AuditVerifyQuery, response: AuditVerifyResponse }),
  // Downloaded as a file (content-disposition) to keep away from the server.
  'audit.checkpoint': endpoint({ method: 'GET', path: '/api/audit/checkpoint', access: ADMIN, response: AuditCheckpoint }),
  'retention.get': endpoint({ method: 'GET', path: '/api/retention', access: ADMIN, response: RetentionSettings }),
  'retention.set': endpoint({ method: 'PUT', path: '/api/retention', access: ADMIN, body: RetentionRequest, response: RetentionSettings }),

  // Action plans.
  'plans.list': endpoint({ method: 'GET', path: '/api/plans', access: 'signed-in', response: PlanSummary.array() }),
  'plans.get': endpoint({ method: 'GET', path: '/api/plans/:id', access: 'signed-in', params: IdParams, response: PlanDetail }),
  // An uploaded plan file read into a preview, for the admin to check before anything is stored.
  'plans.parse': endpoint({ method: 'POST', path: '/api/plans/parse', access: ADMIN, body: 'file', response: PlanPreview }),
  'plans.import': endpoint({ method: 'POST', path: '/api/plans', access: ADMIN, body: ImportPlanRequest, response: PlanSummary, status: 201 }),
  'plans.diff': endpoint({
    method: 'POST', path: '/api/plans/:id/diff', access: ADMIN, params: IdParams, body: RevisePlanRequest, response: PlanDiffResponse,
  }),
  'plans.revise': endpoint({
    method: 'PUT', path: '/api/plans/:id', access: ADMIN, params: IdParams, body: RevisePlanRequest, response: RevisePlanResponse,
  }),
  'plans.assignments': endpoint({ method: 'GET', path: '/api/plans/:id/assignments', access: ADMIN, params: IdParams, response: PlanAssignments }),
  'plans.saveAssignments': endpoint({
    method: 'PUT', path: '/api/plans/:id/assignments', access: ADMIN, params: IdParams, body: SaveAssignmentsRequest, response: SaveAssignmentsResponse,
  }),
  'plans.overview': endpoint({ method: 'GET', path: '/api/plans/:id/overview', access: 'signed-in', params: IdParams, response: PlanOverview }),

  // Review: an action's evidence timeline, decisions on evidence, coverage and evidence packs.
  'actions.get': endpoint({
    method: 'GET', path: '/api/actions/:id', access: 'signed-in', params: IdParams, query: ActionDetailQuery, response: ActionDetail,
  }),
  'checks.review': endpoint({
    method: 'POST', path: '/api/checks/:id/reviews', access: ['head-of-residence'], params: IdParams, body: ReviewRequest, response: Review, status: 201,
  }),
  'coverage': endpoint({ method: 'GET', path: '/api/coverage', access: OVERSIGHT, query: CoverageQuery, response: CoverageResponse }),
  // The checks behind one cell of coverage, read when it is opened: a year's answer carries one letter per cell.
  'coverage.checks': endpoint({
    method: 'GET', path: '/api/coverage/checks', access: OVERSIGHT, query: CoverageChecksQuery, response: CoverageCellChecks,
  }),
  // Explanations of missed checks (given from tablets, through sync): those awaiting a decision, and the decision.
  'gaps.list': endpoint({ method: 'GET', path: '/api/gaps', access: OVERSIGHT, query: GapsQuery, response: GapList }),
  'gaps.review': endpoint({
    method: 'POST', path: '/api/gaps/:id/review', access: ['head-of-residence'], params: IdParams, body: GapReviewRequest, response: GapExplanation,
  }),
  // Web Push reminders: the server's VAPID key, and this device's subscription kept (or ended) for the signed-in person.
  'push.key': endpoint({ method: 'GET', path: '/api/push/key', access: 'signed-in', response: PushKey }),
  'push.subscribe': endpoint({
    method: 'POST', path: '/api/push/subscriptions', access: 'signed-in', body: PushSubscriptionRequest, response: PushSubscribed, status: 201,
  }),
  'push.unsubscribe': endpoint({
    method: 'DELETE', path: '/api/push/subscriptions', access: 'signed-in', body: PushUnsubscribeRequest, response: 'none', status: 204,
  }),
  'exports.pdf': endpoint({ method: 'GET', path: '/api/exports/evidence.pdf', access: OVERSIGHT, query: ExportQuery, response: 'file' }),
  'exports.csv': endpoint({ method: 'GET', path: '/api/exports/evidence.csv', access: OVERSIGHT, query: ExportQuery, response: 'file' }),
  // Packs made in the background (a whole plan's runs to hundreds of megabytes): ask, watch, download.
  'exports.create': endpoint({ method: 'POST', path: '/api/exports', access: OVERSIGHT, body: ExportJobRequest, response: ExportJob, status: 202 }),
  'exports.list': endpoint({ method: 'GET', path: '/api/exports', access: OVERSIGHT, response: ExportJob.array() }),
  'exports.get': endpoint({ method: 'GET', path: '/api/exports/:id', access: OVERSIGHT, params: IdParams, response: ExportJob }),
  'exports.file': endpoint({ method: 'GET', path: '/api/exports/:id/file', access: OVERSIGHT, params: IdParams, response: 'file' }),

  // Check templates and schedules.
  'templates.list': endpoint({ method: 'GET', path: '/api/templates', access: 'signed-in', response: TemplateVersionRecord.array() }),
  'templates.create': endpoint({
    method: 'POST', path: '/api/templates', access: ADMIN, body: CreateTemplateRequest, response: TemplateVersionRecord, status: 201,
  }),
  'templates.addVersion': endpoint({
    method: 'POST', path: '/api/templates/:id/versions', access: ADMIN, params: IdParams, body: TemplateDraft, response: TemplateVersionRecord, status: 201,
  }),
  'templates.update': endpoint({
    method: 'PATCH', path: '/api/templates/:id', access: ADMIN, params: IdParams, body: UpdateTemplateRequest, response: TemplateVersionRecord.array(),
  }),
  'schedules.list': endpoint({ method: 'GET', path: '/api/schedules', access: 'signed-in', response: Schedule.array() }),
  'schedules.create': endpoint({ method: 'POST', path: '/api/schedules', access: ADMIN, body: CreateScheduleRequest, response: Schedule, status: 201 }),
  'schedules.update': endpoint({
    method: 'PATCH', path: '/api/schedules/:id', access: ADMIN, params: IdParams, body: UpdateScheduleRequest, response: Schedule,
  }),

  // Sync: photos by hash first, then the queued mutations; changes since a cursor back.
  'blobs.get': endpoint({ method: 'GET', path: '/api/blobs/:sha256', access: 'signed-in', params: BlobParams, response: 'file' }),
  // 201 when stored, 200 when it was already.
  'blobs.put': endpoint({ method: 'PUT', path: '/api/blobs/:sha256', access: 'signed-in', params: BlobParams, body: 'file', response: StoredBlob }),
  // Protocol 2: the hashes of those photos the establishment lacks, then many photos per request
  // (PHOTO_BATCH_TYPE frames); a batch cut part-way keeps the photos before the cut.
  'blobs.missing': endpoint({
    method: 'POST', path: '/api/blobs/missing', access: 'signed-in', body: MissingBlobsRequest, response: MissingBlobsResponse,
  }),
  'blobs.putMany': endpoint({ method: 'POST', path: '/api/blobs/batch', access: 'signed-in', body: 'file', response: StoredBlobs }),
  'sync.push': endpoint({ method: 'POST', path: '/api/sync/push', access: 'signed-in', body: PushRequest, response: PushResponse }),
  'sync.pull': endpoint({ method: 'GET', path: '/api/sync/pull', access: 'signed-in', query: PullQuery, response: PullResponse }),
};

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
