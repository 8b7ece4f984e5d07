-- Gloss store, migration v2: what sync remembers per peer. Local to this store, never replicated.
-- Append-only: never edit once landed.

-- Per peer (a folder path, a server URL), whatever its transport checkpoints: for a folder, the
-- bundle files already applied and what each held, so a sync with nothing new reads nothing.
-- Written in the same transaction as the changes it accounts for.
CREATE TABLE sync_state (
    peer  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (peer, key)
) WITHOUT ROWID;
