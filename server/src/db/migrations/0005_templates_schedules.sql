-- Check templates (versioned), the schedules that say which checks are due where, and which
-- units each person looks after.

CREATE TABLE templates (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  -- Stable name across versions ("daily-servery-check").
  key               text NOT NULL,
  builtin           boolean NOT NULL DEFAULT false,
  archived_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (establishment_id, key)
);

-- A version is never changed once written: checks name the version they were made with, and
-- render with it for as long as they are kept.
CREATE TABLE template_versions (
  id           uuid PRIMARY KEY,
  template_id  uuid NOT NULL REFERENCES templates (id),
  version      integer NOT NULL CHECK (version > 0),
  -- The whole TemplateVersion (title, description, sections, items), validated by the shared zod schema.
  definition   jsonb NOT NULL,
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (template_id, version)
);

CREATE TABLE schedules (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  template_id       uuid NOT NULL REFERENCES templates (id),
  -- {"every":"day"} | {"every":"week","weekday":1..7} | {"every":"month","day":1..31}
  frequency         jsonb NOT NULL,
  -- Whose Today screen shows it: unit managers, duty governors or the head of residence.
  performed_by      text NOT NULL CHECK (performed_by IN ('unit-manager', 'duty-governor', 'head-of-residence')),
  -- Checks are expected from this local date (coverage does not count days before it).
  starts_on         date NOT NULL,
  archived_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_establishment_idx ON schedules (establishment_id);

CREATE TABLE schedule_units (
  schedule_id  uuid NOT NULL REFERENCES schedules (id),
  unit_id      uuid NOT NULL REFERENCES units (id),
  PRIMARY KEY (schedule_id, unit_id)
);

-- The actions a schedule's checks prove: each check made from it is linked to them by default.
CREATE TABLE schedule_actions (
  schedule_id  uuid NOT NULL REFERENCES schedules (id),
  action_id    uuid NOT NULL REFERENCES actions (id),
  PRIMARY KEY (schedule_id, action_id)
);

-- The units a person looks after (a unit manager's wing). None: they work across all units.
CREATE TABLE user_units (
  user_id  uuid NOT NULL REFERENCES users (id),
  unit_id  uuid NOT NULL REFERENCES units (id),
  PRIMARY KEY (user_id, unit_id)
);
