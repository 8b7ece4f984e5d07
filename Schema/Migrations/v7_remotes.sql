-- Gloss store, migration v7: the servers this store syncs with and the token saved for each.
-- Local to this store, never replicated. Earlier versions kept a saved token in sync_state (key
-- 'token' under peer 'http:URL'), beside a 'pulled-through' value nothing read: the tokens move
-- here and both kinds of row go.
-- Append-only: never edit once landed.

CREATE TABLE remote (
    url      TEXT PRIMARY KEY NOT NULL,  -- the server's base URL, without a trailing slash
    token    TEXT NOT NULL,              -- the bearer token the server gave this client
    saved_at INTEGER NOT NULL            -- milliseconds since 1970; 0 when moved from sync_state
) WITHOUT ROWID;

INSERT OR REPLACE INTO remote(url, token, saved_at)
    SELECT substr(peer, 6), value, 0 FROM sync_state
    WHERE peer LIKE 'http:%' AND key = 'token' AND value <> '';

DELETE FROM sync_state WHERE peer LIKE 'http:%' AND key IN ('token', 'pulled-through');
