-- Closing an action binds the head of residence's typed name, role and time to the evidence it
-- rests on: the SHA-256 over the accepted checks' record hashes (which cover their photos' SHA-256).
-- Recomputed when read, so evidence changed after sign-off shows. Every sign-off is kept.
CREATE TABLE action_sign_offs (
  id                uuid PRIMARY KEY,
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  action_id         uuid NOT NULL REFERENCES actions (id),
  signed_name       text NOT NULL,
  role              text NOT NULL,
  user_id           uuid NOT NULL REFERENCES users (id),
  signed_at         timestamptz NOT NULL,
  evidence_digest   text NOT NULL,
  -- [[check id, record hash], ...] in check id order: what the digest was taken over.
  evidence          jsonb NOT NULL
);
CREATE INDEX action_sign_offs_action_idx ON action_sign_offs (action_id, signed_at DESC);
