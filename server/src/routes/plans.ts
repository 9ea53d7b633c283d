import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import {
  FILE_NAME_HEADER,
  ImportPlanRequest,
  MAX_PLAN_FILE_BYTES,
  RevisePlanRequest,
  SaveAssignmentsRequest,
  type PlanAssignments,
  type PlanDetail,
  type PlanSummary,
} from '../../../src/shared/api/plans.ts';
import { suggestAssignee } from '../../../src/shared/plan-import/assign.ts';
import { diffPlan } from '../../../src/shared/plan-import/diff.ts';
import { PlanParseError } from '../../../src/shared/plan-import/schema.ts';
import { ACTION_REF_SQL } from '../services/action-ref.ts';
import type { AppDeps } from '../app.ts';
import { appendAudit } from '../audit.ts';
import { authOf, deviceIdOf } from '../auth/guard.ts';
import type { Queryable } from '../db/client.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { planParser, PlanParserBusyError, PlanTooComplexError } from '../services/plan-parser.ts';
import { insertPlan, revisePlan, storedActions } from '../services/plans.ts';
import type { AuthContext } from '../auth/sessions.ts';
import { notInMyEstablishment } from '../scope.ts';
import type { ZodTypeProvider } from '../validation.ts';

// Uploaded plans arrive as raw bytes, whatever the browser calls their type.
const FILE_TYPES = [
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/html',
  'text/tab-separated-values',
];

/** What a stored plan's source may hold (StorablePlan.source), so a preview can always be saved. */
const MAX_FILE_NAME = 200;
// Controls (NUL, line breaks, DEL, C1) and the bidirectional overrides and isolates that make a name read other than it is.
const UNSAFE_NAME = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** The upload's file name from its URI-encoded header ("plan" without one); 400 naming the header for anything else. */
function uploadedFileName(header: string | string[] | undefined): string {
  if (header === undefined) return 'plan';
  const how = `send the file's name URI-encoded (encodeURIComponent), or leave ${FILE_NAME_HEADER} out`;
  if (typeof header !== 'string') throw badRequest(`The ${FILE_NAME_HEADER} header must be sent once: ${how}.`);
  // Up to 9 characters encode one UTF-16 unit; anything longer cannot decode to an allowed name.
  if (header.length > MAX_FILE_NAME * 9) throw badRequest(`The ${FILE_NAME_HEADER} header is too long: ${how}.`);
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    throw badRequest(`The ${FILE_NAME_HEADER} header is not a valid URI-encoded name (a broken % escape): ${how}.`);
  }
  // The importer keeps the last path segment only; a name that has none is no name.
  if (!path.basename(name).trim()) throw badRequest(`The ${FILE_NAME_HEADER} header is empty: ${how}.`);
  if (name.length > MAX_FILE_NAME) throw badRequest(`The ${FILE_NAME_HEADER} header names a file of more than ${MAX_FILE_NAME} characters: rename the file.`);
  if (UNSAFE_NAME.test(name)) throw badRequest(`The ${FILE_NAME_HEADER} header holds control characters: rename the file.`);
  return name;
}

interface PlanRow {
  id: string;
  title: string;
  version: number;
  source_file: string | null;
  created_at: Date;
  recommendations: number;
  actions: number;
}

async function listPlans(db: Queryable, establishmentId: string, planId?: string): Promise<PlanSummary[]> {
  const rows = await db.query<PlanRow>(
    `SELECT p.id, p.title, p.version, p.source_file, p.created_at,
            (SELECT count(*)::int FROM recommendations r WHERE r.plan_id = p.id AND r.archived_at IS NULL) AS recommendations,
            (SELECT count(*)::int FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
              WHERE r.plan_id = p.id AND a.status <> 'archived') AS actions
     FROM plans p WHERE p.establishment_id = $1 AND ($2::uuid IS NULL OR p.id = $2::uuid) ORDER BY p.created_at DESC`,
    [establishmentId, planId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    version: r.version,
    sourceFile: r.source_file,
    importedAt: r.created_at.toISOString(),
    recommendations: r.recommendations,
    actions: r.actions,
  }));
}

/** The plan, if it is the caller's establishment's: 403 for another's, 404 for none. */
async function myPlan(db: Queryable, auth: AuthContext, planId: string): Promise<PlanSummary> {
  const [summary] = await listPlans(db, auth.establishmentId, planId);
  if (summary) return summary;
  throw await notInMyEstablishment(db, 'plans', planId, 'Plan', 'That plan belongs to another establishment.');
}

export function planRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  void app.register((scoped, _opts, done) => {
    scoped.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_PLAN_FILE_BYTES }, (_request, body, next) => {
      next(null, body);
    });
    // Reads an uploaded plan and answers what the importer made of it, for the admin to check
    // and correct before anything is stored.
    scoped.post('/api/plans/parse', { config: { access: ['admin'] }, bodyLimit: MAX_PLAN_FILE_BYTES }, async (request) => {
      const fileName = uploadedFileName(request.headers[FILE_NAME_HEADER]);
      if (!(request.body instanceof Buffer)) throw new HttpError(415, 'unsupported_media_type', 'Upload the plan file itself.');
      try {
        // Off the main thread, with memory and time limits: a pathological file costs a worker, not the server.
        return await planParser.parse(request.body, fileName);
      } catch (error) {
        if (error instanceof PlanTooComplexError) throw new HttpError(422, 'plan_too_complex', error.message);
        if (error instanceof PlanParseError) throw new HttpError(422, 'unreadable_plan', error.message);
        // 429, not 503: nothing is wrong with the server, there is just more to read than it takes at once.
        if (error instanceof PlanParserBusyError) throw new HttpError(429, 'busy', error.message, { 'retry-after': '60' });
        throw error;
      }
    });
    done();
  });

  api.post('/api/plans', { config: { access: ['admin'] }, schema: { body: ImportPlanRequest } }, async (request, reply) => {
    const auth = authOf(request);
    const { title, plan } = request.body;
    const planId = await deps.db.transaction(async (tx) => {
      const id = await insertPlan(tx, auth.establishmentId, plan, { title, sourceFile: plan.source });
      await appendAudit(
        tx,
        {
          establishmentId: auth.establishmentId,
          actorId: auth.userId,
          action: 'plan.import',
          entityType: 'plan',
          entityId: id,
          deviceId: deviceIdOf(request),
          details: {
            title,
            source: plan.source,
            recommendations: plan.recommendations.length,
            actions: plan.recommendations.reduce((n, r) => n + r.actions.length, 0),
          },
        },
        deps.clock.now(),
      );
      return id;
    });
    const [summary] = await listPlans(deps.db, auth.establishmentId, planId);
    return reply.code(201).send(summary);
  });

  api.get('/api/plans', { config: { access: 'signed-in' } }, async (request) => listPlans(deps.db, authOf(request).establishmentId));

  api.get('/api/plans/:id', { config: { access: 'signed-in' }, schema: { params: IdParams } }, async (request): Promise<PlanDetail> => {
    const summary = await myPlan(deps.db, authOf(request), request.params.id);
    const recs = await deps.db.query<{
      id: string;
      ref: string;
      category: string | null;
      concern: string | null;
      recommendation: string | null;
      agreement: PlanDetail['recommendations'][number]['agreement'];
    }>(
      'SELECT id, ref, category, concern, recommendation, agreement FROM recommendations WHERE plan_id = $1 AND archived_at IS NULL ORDER BY position',
      [summary.id],
    );
    const actions = await deps.db.query<{
      id: string;
      recommendation_id: string;
      text: string;
      owner: string | null;
      target: string | null;
      due: string | null;
      status: string;
      assignee_id: string | null;
      assignee_name: string | null;
      version: number;
      ref: string;
    }>(
      `SELECT a.id, a.recommendation_id, a.text, a.owner, a.target, to_char(a.due, 'YYYY-MM-DD') AS due, a.status, a.assignee_id,
              u.display_name AS assignee_name, a.version, ${ACTION_REF_SQL} AS ref
       FROM actions a JOIN recommendations r ON r.id = a.recommendation_id LEFT JOIN users u ON u.id = a.assignee_id
       WHERE r.plan_id = $1 AND a.status <> 'archived' ORDER BY r.position, a.position`,
      [summary.id],
    );
    return {
      ...summary,
      recommendations: recs.map((rec) => ({
        ...rec,
        actions: actions
          .filter((a) => a.recommendation_id === rec.id)
          .map((a) => ({
            id: a.id,
            ref: a.ref,
            text: a.text,
            owner: a.owner,
            target: a.target,
            due: a.due,
            status: a.status,
            assigneeId: a.assignee_id,
            assigneeName: a.assignee_name,
            version: a.version,
          })),
      })),
    };
  });

  // What a revised version would change, for the admin to see before applying it.
  api.post(
    '/api/plans/:id/diff',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: RevisePlanRequest } },
    async (request) => {
      const summary = await myPlan(deps.db, authOf(request), request.params.id);
      return diffPlan(await storedActions(deps.db, summary.id), request.body.plan);
    },
  );

  api.put('/api/plans/:id', { config: { access: ['admin'] }, schema: { params: IdParams, body: RevisePlanRequest } }, async (request) => {
    const auth = authOf(request);
    const summary = await myPlan(deps.db, auth, request.params.id);
    const now = deps.clock.now();
    return deps.db.transaction(async (tx) => {
      const result = await revisePlan(tx, summary.id, request.body.plan, now);
      await appendAudit(
        tx,
        {
          establishmentId: auth.establishmentId,
          actorId: auth.userId,
          action: 'plan.revise',
          entityType: 'plan',
          entityId: summary.id,
          deviceId: deviceIdOf(request),
          details: { source: request.body.plan.source, ...result },
        },
        now,
      );
      return result;
    });
  });

  /** People who may be given actions here: anyone with a role in the establishment, not disabled. */
  const assignable = (establishmentId: string) =>
    deps.db.query<{ id: string; displayName: string; jobTitle: string | null }>(
      `SELECT DISTINCT u.id, u.display_name AS "displayName", u.job_title AS "jobTitle"
       FROM users u JOIN memberships m ON m.user_id = u.id
       WHERE m.establishment_id = $1 AND u.disabled_at IS NULL ORDER BY "displayName"`,
      [establishmentId],
    );

  api.get(
    '/api/plans/:id/assignments',
    { config: { access: ['admin'] }, schema: { params: IdParams } },
    async (request): Promise<PlanAssignments> => {
      const auth = authOf(request);
      const plan = await myPlan(deps.db, auth, request.params.id);
      const people = await assignable(auth.establishmentId);
      interface Row { id: string; ref: string; text: string; owner: string | null; assignee_id: string | null }
      const actions = await deps.db.query<Row>(
        `SELECT a.id, ${ACTION_REF_SQL} AS ref, a.text, a.owner, a.assignee_id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
         WHERE r.plan_id = $1 AND a.status <> 'archived' ORDER BY r.position, a.position`,
        [plan.id],
      );
      return {
        people,
        actions: actions.map((a) => ({
          actionId: a.id,
          ref: a.ref,
          text: a.text,
          owner: a.owner,
          assigneeId: a.assignee_id,
          suggestion: suggestAssignee(a.owner, people),
        })),
      };
    },
  );

  api.put(
    '/api/plans/:id/assignments',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: SaveAssignmentsRequest } },
    async (request) => {
      const auth = authOf(request);
      const plan = await myPlan(deps.db, auth, request.params.id);
      const people = new Set((await assignable(auth.establishmentId)).map((p) => p.id));
      const { assignments } = request.body;
      if (assignments.some(({ assigneeId }) => assigneeId && !people.has(assigneeId))) {
        throw new HttpError(400, 'invalid_request', 'An assignee does not work in this establishment.');
      }
      const now = deps.clock.now();
      const updated = await deps.db.transaction(async (tx) => {
        let count = 0;
        for (const { actionId, assigneeId } of assignments) {
          const rows = await tx.query<{ id: string }>(
            `UPDATE actions SET assignee_id = $3, version = version + 1
             WHERE id = $1 AND assignee_id IS DISTINCT FROM $3
               AND recommendation_id IN (SELECT id FROM recommendations WHERE plan_id = $2)
             RETURNING id`,
            [actionId, plan.id, assigneeId],
          );
          if (!rows.length) continue;
          count += 1;
          await appendAudit(
            tx,
            {
              establishmentId: auth.establishmentId,
              actorId: auth.userId,
              action: 'action.assign',
              entityType: 'action',
              entityId: actionId,
              deviceId: deviceIdOf(request),
              details: { assigneeId },
            },
            now,
          );
        }
        return count;
      });
      return { updated };
    },
  );
}
