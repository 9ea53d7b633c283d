-- A revision archives the actions it drops at -(their number), so they keep the number they had
-- ("1.1 (archived)"). Two revisions may each drop a "1.1" of the same concern, so only live
-- actions (position >= 0) are numbered uniquely; before this, the third revision of such a plan
-- failed on the old constraint.
ALTER TABLE actions DROP CONSTRAINT actions_recommendation_id_position_key;
CREATE UNIQUE INDEX actions_live_position_key ON actions (recommendation_id, position) WHERE position >= 0;
CREATE INDEX actions_recommendation_position_idx ON actions (recommendation_id, position);
