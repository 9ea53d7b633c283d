-- How many years an establishment keeps evidence and its photos; NULL keeps everything, which is
-- where every establishment starts: nothing is deleted until an admin chooses a period.
ALTER TABLE establishments ADD COLUMN retention_years integer CHECK (retention_years BETWEEN 1 AND 100);
-- The purge looks for old evidence by age.
CREATE INDEX photos_uploaded_idx ON photos (establishment_id, uploaded_at);
