-- Review decisions on evidence: the head of residence accepts a check or note, or returns it with
-- a reason. Append-only: a later decision on the same evidence supersedes the earlier one, and
-- both stay in the record.
CREATE TABLE reviews (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  check_id          uuid NOT NULL REFERENCES checks (id),
  decision          text NOT NULL CHECK (decision IN ('accepted', 'returned')),
  reason            text,
  reviewer_id       uuid NOT NULL REFERENCES users (id),
  reviewed_at       timestamptz NOT NULL,
  CHECK (decision = 'accepted' OR (reason IS NOT NULL AND length(trim(reason)) > 0))
);
CREATE INDEX reviews_check_idx ON reviews (check_id, reviewed_at);
