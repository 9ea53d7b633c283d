-- A person's job title ("Head of Residence"): plans name owners by job title, so assignees are
-- suggested by matching the two.
ALTER TABLE users ADD COLUMN job_title text;
