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

/**
 * `GET /api/exports/evidence.{pdf,csv}`: exactly one scope id, and the local dates (in the
 * establishment's time zone) whose submitted evidence goes in, both days included.
 */
export const ExportQuery = z
  .strictObject({
    actionId: z.uuid('must be an action id').optional(),
    recommendationId: z.uuid('must be a concern (recommendation) id').optional(),
    planId: z.uuid('must be a plan id').optional(),
    from: LocalDate,
    to: LocalDate,
  })
  .superRefine((query, ctx) => {
    const given = [query.actionId, query.recommendationId, query.planId].filter((id) => id !== undefined).length;
    if (given === 0) ctx.addIssue({ code: 'custom', message: 'say what to export: give an actionId, a recommendationId or a planId' });
    if (given > 1) ctx.addIssue({ code: 'custom', message: 'give only one of actionId, recommendationId and planId' });
    // ISO dates compare correctly as text.
    if (query.from > query.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be the same day as from or later' });
  })
  .transform(({ actionId, recommendationId, planId, from, to }) => {
    const scope: ExportScope = actionId
      ? { kind: 'action', id: actionId }
      : recommendationId
        ? { kind: 'recommendation', id: recommendationId }
        : { kind: 'plan', id: planId ?? '' };
    return { scope, from, to };
  });
export type ExportRequest = z.output<typeof ExportQuery>;

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
