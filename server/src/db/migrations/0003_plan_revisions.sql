-- Revising a plan never deletes: a concern dropped from a revised plan is archived with its
-- actions (status 'archived'), so evidence recorded against them stays attached and visible.
ALTER TABLE recommendations ADD COLUMN archived_at timestamptz;
