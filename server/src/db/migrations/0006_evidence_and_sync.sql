-- Evidence from devices (checks and notes, with their photos and the actions they prove), the
-- record of applied mutations that makes pushes exactly-once, and the change log devices pull.

-- Photo bytes live in the blob store under their SHA-256; this row says an establishment has
-- uploaded them, so only that establishment's evidence may name them.
CREATE TABLE photos (
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime              text NOT NULL,
  size              integer NOT NULL,
  uploaded_by       uuid REFERENCES users (id),
  uploaded_at       timestamptz NOT NULL,
  PRIMARY KEY (establishment_id, sha256)
);

-- A check (answers to a template version) or a note (free text); immutable once stored.
CREATE TABLE checks (
  id                   uuid PRIMARY KEY,
  establishment_id     uuid NOT NULL REFERENCES establishments (id),
  kind                 text NOT NULL CHECK (kind IN ('check', 'note')),
  template_version_id  uuid REFERENCES template_versions (id),
  schedule_id          uuid REFERENCES schedules (id),
  due_on               date,
  unit_id              uuid REFERENCES units (id),
  landing              text,
  author_id            uuid NOT NULL REFERENCES users (id),
  -- The device (client id) it came from.
  device_id            text NOT NULL,
  answers              jsonb NOT NULL DEFAULT '[]',
  note                 text NOT NULL DEFAULT '',
  started_at           timestamptz NOT NULL,
  submitted_at         timestamptz NOT NULL,
  received_at          timestamptz NOT NULL,
  -- A correction names the check it replaces; both are kept.
  supersedes           uuid REFERENCES checks (id),
  CHECK (kind = 'note' OR template_version_id IS NOT NULL)
);
CREATE INDEX checks_establishment_submitted_idx ON checks (establishment_id, submitted_at);
CREATE INDEX checks_schedule_due_idx ON checks (schedule_id, due_on);

CREATE TABLE check_actions (
  check_id   uuid NOT NULL REFERENCES checks (id),
  action_id  uuid NOT NULL REFERENCES actions (id),
  PRIMARY KEY (check_id, action_id)
);
CREATE INDEX check_actions_action_idx ON check_actions (action_id);

CREATE TABLE check_photos (
  check_id  uuid NOT NULL REFERENCES checks (id),
  position  integer NOT NULL,
  sha256    text NOT NULL,
  item_id   text,
  mime      text NOT NULL,
  size      integer NOT NULL,
  width     integer NOT NULL,
  height    integer NOT NULL,
  PRIMARY KEY (check_id, position)
);

-- Every mutation a device pushed and what became of it: a repeat of the same id answers from
-- here (duplicate), and the same id with other content is refused, never merged.
CREATE TABLE applied_mutations (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  client_id         text NOT NULL,
  user_id           uuid NOT NULL REFERENCES users (id),
  type              text NOT NULL,
  -- SHA-256 of the canonical JSON of { type, payload }.
  content_hash      text NOT NULL,
  status            text NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason            text,
  applied_at        timestamptz NOT NULL
);

-- What changed, in commit order per establishment: devices pull everything after their cursor.
-- seq comes from establishments.change_seq, updated in the committing transaction: that row lock
-- makes writers of one establishment commit in seq order, so a reader never sees seq N+1 before N.
ALTER TABLE establishments ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE changes (
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  seq               bigint NOT NULL,
  entity            text NOT NULL,
  entity_id         text NOT NULL,
  at                timestamptz NOT NULL,
  PRIMARY KEY (establishment_id, seq)
);
