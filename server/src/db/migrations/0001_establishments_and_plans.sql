-- Establishments, their residential units and the action plans they must prove.
-- Ids are UUIDv7 made by the application, so rows sort by creation time.

CREATE TABLE establishments (
  id          uuid PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  -- Schedules ("daily at 08:00") are reckoned in the establishment's local time.
  time_zone   text NOT NULL DEFAULT 'Europe/London',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE units (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  name              text NOT NULL,
  -- Landings are the floors of a unit, in walking order, e.g. {"1s","2s","3s"}.
  landings          text[] NOT NULL DEFAULT '{}',
  archived_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (establishment_id, name)
);

CREATE TABLE plans (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  title             text NOT NULL,
  source_file       text,
  submitted_on      date,
  published_on      date,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plans_establishment_idx ON plans (establishment_id);

CREATE TABLE recommendations (
  id              uuid PRIMARY KEY,
  plan_id         uuid NOT NULL REFERENCES plans (id),
  ref             text NOT NULL,
  -- Position in the published plan, so lists keep its order ("1.10" after "1.9").
  position        integer NOT NULL,
  section         text,
  category        text,
  concern         text,
  recommendation  text,
  agreement       text CHECK (agreement IN ('Agreed', 'Partly Agreed', 'Not Agreed')),
  directed_to     text,
  UNIQUE (plan_id, ref)
);

CREATE TABLE actions (
  id                 uuid PRIMARY KEY,
  recommendation_id  uuid NOT NULL REFERENCES recommendations (id),
  position           integer NOT NULL,
  text               text NOT NULL,
  owner              text,
  -- The target exactly as published ("April 2023", "Ongoing"), and what it means as a date.
  target             text,
  due                date,
  complete           boolean NOT NULL DEFAULT false,
  status             text NOT NULL DEFAULT 'not-started',
  assignee_id        uuid,
  -- Optimistic concurrency: a status change names the version it was based on.
  version            integer NOT NULL DEFAULT 1,
  UNIQUE (recommendation_id, position)
);
CREATE INDEX actions_assignee_idx ON actions (assignee_id);
