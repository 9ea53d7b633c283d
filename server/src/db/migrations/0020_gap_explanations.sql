-- Explained gaps: why an expected check (a schedule's due day on a unit) was missed or late, as the
-- unit manager or duty governor explains it from the tablet (the `gap.explain` mutation), and the
-- head of residence's decision on it. Several may explain one day (a queried one is explained
-- again): the latest stands. The decision is kept on the row; every decision is in the audit log.
CREATE TABLE gap_explanations (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  schedule_id       uuid NOT NULL REFERENCES schedules (id),
  unit_id           uuid NOT NULL REFERENCES units (id),
  due_on            date NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('lockdown', 'regime-curtailment', 'staffing', 'unit-closed', 'other')),
  detail            text NOT NULL DEFAULT '',
  author_id         uuid NOT NULL REFERENCES users (id),
  device_id         text,
  explained_at      timestamptz NOT NULL,
  received_at       timestamptz NOT NULL,
  decision          text CHECK (decision IN ('accepted', 'queried')),
  comment           text,
  reviewer_id       uuid REFERENCES users (id),
  reviewed_at       timestamptz
);

-- Coverage reads a period's explanations; the review list reads those awaiting a decision.
CREATE INDEX gap_explanations_day_idx ON gap_explanations (establishment_id, due_on);
