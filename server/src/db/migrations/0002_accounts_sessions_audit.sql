-- People, what they may do where, their sessions, and the tamper-evident audit log.

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  -- Stored lower-case: "HOR.Demo" and "hor.demo" are one person.
  username       text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name   text NOT NULL,
  -- scrypt$N$r$p$salt$hash: the parameters travel with the hash, so they can be raised later.
  password_hash  text NOT NULL,
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- A role in an establishment. A person may work in several establishments, with different roles.
CREATE TABLE memberships (
  user_id           uuid NOT NULL REFERENCES users (id),
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  role              text NOT NULL CHECK (role IN ('unit-manager', 'duty-governor', 'head-of-residence', 'admin')),
  PRIMARY KEY (user_id, establishment_id, role)
);
CREATE INDEX memberships_establishment_idx ON memberships (establishment_id);

CREATE TABLE sessions (
  -- SHA-256 of the cookie's token: a copy of this table does not let anyone sign in.
  token_hash        text PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users (id),
  -- The establishment this session works in: every query is scoped to it.
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  csrf_token        text NOT NULL,
  device_id         text,
  created_at        timestamptz NOT NULL,
  last_seen_at      timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  revoked_at        timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed sign-ins, counted per username and per address over a window. In the database, not in
-- process memory, so the limit holds across several server processes.
CREATE TABLE sign_in_failures (
  key  text NOT NULL,
  at   timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_key_at_idx ON sign_in_failures (key, at);

-- The audit chain's head per establishment: updating this row serialises appends, so seq has no
-- gaps and each row's prev_hash is the row before it, with any number of server processes.
ALTER TABLE establishments ADD COLUMN audit_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE establishments ADD COLUMN audit_head text NOT NULL DEFAULT '';

CREATE TABLE audit_log (
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  seq               bigint NOT NULL,
  at                timestamptz NOT NULL,
  actor_id          uuid REFERENCES users (id),
  action            text NOT NULL,
  entity_type       text NOT NULL,
  entity_id         text,
  device_id         text,
  details           jsonb NOT NULL DEFAULT '{}',
  prev_hash         text NOT NULL,
  hash              text NOT NULL,
  PRIMARY KEY (establishment_id, seq)
);
