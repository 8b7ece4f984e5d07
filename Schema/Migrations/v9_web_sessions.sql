-- Gloss store, migration v9: the web reader's sign-in. Local to this store, never replicated.
-- A token now has a scope: 'sync' tokens serve sync clients, the JSON API and sign-in; 'capture'
-- tokens serve only the bookmarklet's capture route, so a token pasted into a bookmark on every
-- page a person visits can never read the library. Sessions and one-time sign-in codes are kept
-- as SHA-256 hashes only, like tokens.
-- Append-only: never edit once landed.

ALTER TABLE api_token ADD COLUMN scope TEXT NOT NULL DEFAULT 'sync';  -- sync | capture

CREATE TABLE web_session (
    hash       TEXT PRIMARY KEY NOT NULL,  -- hex SHA-256 of the session cookie's value
    csrf       TEXT NOT NULL,              -- the value state-changing requests must echo
    token_id   TEXT,                       -- the token it signed in with (NULL: a one-time code)
    created_at INTEGER NOT NULL,           -- milliseconds since 1970
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE login_code (
    hash       TEXT PRIMARY KEY NOT NULL,  -- hex SHA-256 of the one-time code
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
