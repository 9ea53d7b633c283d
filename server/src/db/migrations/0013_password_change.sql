-- A one-time password (from the set-up command or a reset) must be replaced before anything else.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
