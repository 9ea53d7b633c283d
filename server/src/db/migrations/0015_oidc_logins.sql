-- Single sign-on (OpenID Connect). A sign-in started here and not yet back from the provider: its
-- state, nonce and PKCE verifier, kept in the database (not process memory) so the provider may
-- send the person back to any of several servers. Single-use and short-lived (the server deletes
-- the row as it reads it, and rows past expires_at whenever it adds one).
CREATE TABLE oidc_logins (
  state             text PRIMARY KEY,
  nonce             text NOT NULL,
  code_verifier     text NOT NULL,
  -- SHA-256 of a cookie set on the browser that started it: the code is taken only from that
  -- browser, so nobody can sign someone else in as themselves with a link (login CSRF).
  browser_hash      text NOT NULL,
  -- As asked, checked at the return (no foreign key: an unknown id is refused there, not a 500 here).
  establishment_id  uuid,
  return_to         text NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at);

-- How a session began ('password' or 'oidc'), and for single sign-on the ID token that signing
-- out hands back to the provider (id_token_hint) so the provider's session ends too.
ALTER TABLE sessions ADD COLUMN sign_in_method text NOT NULL DEFAULT 'password' CHECK (sign_in_method IN ('password', 'oidc'));
ALTER TABLE sessions ADD COLUMN oidc_id_token text;
