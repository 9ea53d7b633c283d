-- Evidence packs made in the background: a request enqueues a row, a worker (in any server, or a
-- process of its own) claims it with a lease, renders the pack into the blob store and marks it
-- ready. A worker that dies leaves its lease to run out, and the next worker takes the job again.
CREATE TABLE export_jobs (
  id uuid PRIMARY KEY,
  establishment_id uuid NOT NULL REFERENCES establishments (id),
  requested_by uuid NOT NULL REFERENCES users (id),
  requested_at timestamptz NOT NULL,
  format text NOT NULL CHECK (format IN ('pdf', 'csv')),
  scope_kind text NOT NULL CHECK (scope_kind IN ('action', 'recommendation', 'plan')),
  scope_id uuid NOT NULL,
  from_date date NOT NULL,
  to_date date NOT NULL,
  -- Settled when the job is asked for, so the list reads "Action 1.3" without the plan.
  title text NOT NULL,
  file_name text NOT NULL,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'ready', 'failed', 'expired')),
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  lease_until timestamptz,
  progress_done integer NOT NULL DEFAULT 0,
  progress_total integer,
  started_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz,
  file_sha256 text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_size bigint,
  error text,
  CHECK (state <> 'ready' OR (file_sha256 IS NOT NULL AND file_size IS NOT NULL AND expires_at IS NOT NULL))
);
-- Workers look for the oldest job waiting (or whose worker stopped answering).
CREATE INDEX export_jobs_waiting_idx ON export_jobs (requested_at) WHERE state IN ('queued', 'running');
-- The export page lists an establishment's latest packs.
CREATE INDEX export_jobs_establishment_idx ON export_jobs (establishment_id, requested_at DESC);
