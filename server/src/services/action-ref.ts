/**
 * actionRef (src/shared/action-ref.ts) in SQL, for queries that name many actions at once (the
 * overview, the evidence pack): `a` is the action, `r` its recommendation.
 * tests/server/action-ref.test.ts holds the two to the same answer.
 */
export const ACTION_REF_SQL = `(r.ref || '.' || (CASE WHEN a.position >= 0 THEN a.position + 1 ELSE -a.position END)::text
  || CASE WHEN a.position < 0 THEN ' (archived)' ELSE '' END)`;
