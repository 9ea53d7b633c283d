/** Actions as the queries read them: one row type and one mapper, whatever else a query joins to them. */
import type { z } from 'zod';
import type { PlanAction } from '../../../src/shared/api/plans.ts';
import { ACTION_REF_SQL } from './action-ref.ts';

/**
 * An action's row: its own columns, its reference (ACTION_REF_SQL), its due date as YYYY-MM-DD and
 * its assignee's name. A query that needs fewer reads a Pick of it; one that needs more adds to it.
 */
export interface ActionRow {
  id: string;
  ref: string;
  text: string;
  owner: string | null;
  target: string | null;
  due: string | null;
  status: string;
  version: number;
  assignee_id: string | null;
  assignee_name: string | null;
}

/** Selects an ActionRow from `a` (the action), `r` (its recommendation) and `u` (its assignee, left joined). */
export const ACTION_COLUMNS = `a.id, ${ACTION_REF_SQL} AS ref, a.text, a.owner, a.target, to_char(a.due, 'YYYY-MM-DD') AS due, a.status,
  a.version, a.assignee_id, u.display_name AS assignee_name`;

export const actionFromRow = (row: ActionRow): z.output<typeof PlanAction> => ({
  id: row.id,
  ref: row.ref,
  text: row.text,
  owner: row.owner,
  target: row.target,
  due: row.due,
  status: row.status,
  assigneeId: row.assignee_id,
  assigneeName: row.assignee_name,
  version: row.version,
});
