import { z } from 'zod';
import { LocalDate as Day } from '../text.ts';

/** What an evidence pack covers: one action, one concern (recommendation) with its actions, or a whole plan. */
export type ExportScopeKind = 'action' | 'recommendation' | 'plan';
export interface ExportScope {
  kind: ExportScopeKind;
  id: string;
}

export type ExportFormat = 'pdf' | 'csv';

const LocalDate = Day('must be a date written YYYY-MM-DD, like 2026-11-23');

const SCOPE_FIELDS = {
  actionId: z.uuid('must be an action id').optional(),
  recommendationId: z.uuid('must be a concern (recommendation) id').optional(),
  planId: z.uuid('must be a plan id').optional(),
  from: LocalDate,
  to: LocalDate,
};

interface ScopeFields {
  actionId?: string | undefined;
  recommendationId?: string | undefined;
  planId?: string | undefined;
  from: string;
  to: string;
}

/** Exactly one scope id, and a period that does not end before it starts. */
function checkScope(query: ScopeFields, ctx: z.RefinementCtx): void {
  const given = [query.actionId, query.recommendationId, query.planId].filter((id) => id !== undefined).length;
  if (given === 0) ctx.addIssue({ code: 'custom', message: 'say what to export: give an actionId, a recommendationId or a planId' });
  if (given > 1) ctx.addIssue({ code: 'custom', message: 'give only one of actionId, recommendationId and planId' });
  // ISO dates compare correctly as text.
  if (query.from > query.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be the same day as from or later' });
}

function requestOf({ actionId, recommendationId, planId, from, to }: ScopeFields): ExportRequest {
  const scope: ExportScope = actionId
    ? { kind: 'action', id: actionId }
    : recommendationId
      ? { kind: 'recommendation', id: recommendationId }
      : { kind: 'plan', id: planId ?? '' };
  return { scope, from, to };
}

/**
 * `GET /api/exports/evidence.{pdf,csv}`: exactly one scope id, and the local dates (in the
 * establishment's time zone) whose submitted evidence goes in, both days included.
 */
export const ExportQuery = z.strictObject(SCOPE_FIELDS).superRefine(checkScope).transform(requestOf);
export interface ExportRequest {
  scope: ExportScope;
  from: string;
  to: string;
}

const SCOPE_PARAMETER: Record<ExportScopeKind, 'actionId' | 'recommendationId' | 'planId'> = { action: 'actionId', recommendation: 'recommendationId', plan: 'planId' };

/** The query that asks for a pack (ExportQuery's input), as the export screen sends it. */
export function exportQueryOf(request: ExportRequest): z.input<typeof ExportQuery> {
  const { scope, from, to } = request;
  return { [SCOPE_PARAMETER[scope.kind]]: scope.id, from, to };
}

/** The address of a pack, as tests ask for it. */
export function exportPath(format: ExportFormat, request: ExportRequest): string {
  return `/api/exports/evidence.${format}?${new URLSearchParams(exportQueryOf(request)).toString()}`;
}

export const EXPORT_FORMATS = ['pdf', 'csv'] as const;

/** `POST /api/exports`: a pack to be made in the background, the same fields as ExportQuery and its format. */
export const ExportJobRequest = z
  .strictObject({ format: z.enum(EXPORT_FORMATS, 'must be pdf or csv'), ...SCOPE_FIELDS })
  .superRefine(checkScope)
  .transform((body) => ({ format: body.format, ...requestOf(body) }));
export type ExportJobInput = z.input<typeof ExportJobRequest>;

export const EXPORT_JOB_STATES = ['queued', 'running', 'ready', 'failed', 'expired'] as const;
export type ExportJobState = (typeof EXPORT_JOB_STATES)[number];

/** A pack asked for: where its making has got to, and once ready, its file until it expires. */
export const ExportJob = z.object({
  id: z.uuid(),
  format: z.enum(EXPORT_FORMATS),
  scope: z.object({ kind: z.enum(['action', 'recommendation', 'plan']), id: z.uuid() }),
  from: z.string(),
  to: z.string(),
  /** "Action 1.3", "Concern 1" or "The whole plan". */
  title: z.string(),
  state: z.enum(EXPORT_JOB_STATES),
  /** Pieces of evidence written of those the pack holds; total is null until the worker has counted them. */
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  requestedBy: z.string(),
  requestedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  fileName: z.string(),
  size: z.number().int().nullable(),
  /** Why the pack could not be made (state failed). */
  error: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;
