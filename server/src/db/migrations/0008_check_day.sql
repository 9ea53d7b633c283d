-- The local calendar day each piece of evidence is for, so coverage counts every check of a
-- schedule's template on a unit and day, however it was started: a correction's is the day of the
-- check it corrects; a scheduled check's is its due_on; an ad hoc check's is the day it was started
-- in the establishment's time zone. The server sets it when evidence arrives (dayOfCheck in
-- src/shared/coverage.ts); this fills it for the evidence stored before, by the same rule.
ALTER TABLE checks ADD COLUMN day date;

WITH RECURSIVE zones AS (
  -- A zone PostgreSQL does not know would stop the server starting: such an establishment has none
  -- in practice (time_zone is not editable), and the app's own fallback is Europe/London.
  SELECT e.id, CASE WHEN EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = e.time_zone)
                    THEN e.time_zone ELSE 'Europe/London' END AS time_zone
  FROM establishments e
), chain AS (
  SELECT c.id, COALESCE(c.due_on, (c.started_at AT TIME ZONE z.time_zone)::date) AS day
  FROM checks c JOIN zones z ON z.id = c.establishment_id
  WHERE c.supersedes IS NULL
  UNION ALL
  -- Corrections take the day of the check they correct, down each chain.
  SELECT c.id, chain.day FROM checks c JOIN chain ON c.supersedes = chain.id
)
UPDATE checks SET day = chain.day FROM chain WHERE checks.id = chain.id;

-- Coverage selects the checks of the schedules' templates (by their versions, which belong to one
-- establishment's template) over a period of days.
CREATE INDEX checks_version_day_idx ON checks (template_version_id, day) WHERE kind = 'check';
