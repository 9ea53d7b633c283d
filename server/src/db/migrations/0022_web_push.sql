-- Web Push reminders (checks overdue, and a unit's daily check missed two days running).

-- The installation's VAPID key pair: made at first start and kept here, so that every server on one
-- database signs with the same key (a browser subscribed with one public key accepts no other).
-- One row only: the first server to insert it wins and the others read it back.
CREATE TABLE push_vapid_keys (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  public_key   text NOT NULL,
  private_key  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- A browser's push subscription, for the person and establishment of the session that gave it.
-- The endpoint is the browser's: the same tablet subscribing for another person moves it to them.
CREATE TABLE push_subscriptions (
  endpoint          text PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users (id),
  establishment_id  uuid NOT NULL REFERENCES establishments (id),
  p256dh            text NOT NULL,
  auth              text NOT NULL,
  created_at        timestamptz NOT NULL
);
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);
CREATE INDEX push_subscriptions_establishment_idx ON push_subscriptions (establishment_id);

-- Reminders already sent, by a key naming what and for whom (overdue:<user>:<establishment>:<date>,
-- escalation:<schedule>:<unit>:<date>): the server whose insert takes the key sends it, so several
-- servers never send one twice.
CREATE TABLE push_reminders_sent (
  claim_key  text PRIMARY KEY,
  sent_at    timestamptz NOT NULL
);
