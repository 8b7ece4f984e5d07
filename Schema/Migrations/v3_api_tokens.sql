-- Gloss store, migration v3: bearer tokens for `gloss serve`. Local to this store, never
-- replicated, and never stored in the clear: only the SHA-256 of each token is kept.
-- Append-only: never edit once landed.

CREATE TABLE api_token (
    id         TEXT PRIMARY KEY NOT NULL,  -- short public handle, to list and revoke
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,       -- hex SHA-256 of the token
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
