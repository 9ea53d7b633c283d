-- Evidence enters the audit chain as it is stored (server/src/evidence-chain.ts): each check and
-- note has a row naming it with its record's hash, and verification matches the two both ways.
-- Evidence stored before this migration enters the chain once, at the next start, marked
-- "evidence.enter-chain"; its time of applying is the line between the two.
CREATE INDEX audit_log_entity_idx ON audit_log (establishment_id, entity_id);
