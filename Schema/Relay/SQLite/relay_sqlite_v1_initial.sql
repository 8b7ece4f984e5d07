-- The relay's tables (SQLite backend). A relay keeps, per library, each change's dot, size and
-- canonical bytes in arrival order; it never reads a change's fields.

-- People who hold libraries.
CREATE TABLE relay_user (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,                 -- ms since 1970
    quota_bytes INTEGER,                         -- NULL: the relay's default
    quota_changes INTEGER
);

-- (quota_bytes, quota_changes: what all of a person's libraries may hold together.)

-- A library: one person's set of replicas that sync together. `replica` is the id the relay
-- answers /v1/vector with for it; `last_seq` the arrival number of its newest change, bumped by
-- each push while it holds the library's write lock, so sequence numbers commit in order.
CREATE TABLE relay_library (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES relay_user(id),
    name TEXT NOT NULL,
    replica TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    byte_count INTEGER NOT NULL DEFAULT 0,       -- the bytes and changes it holds, for quotas
    change_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, name)
);

-- Bearer tokens, stored as the SHA-256 of the token; each grants one library.
CREATE TABLE relay_token (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES relay_user(id),
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    read_only INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Every change a library holds, by arrival sequence; its dot is unique within the library.
CREATE TABLE relay_change (
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    seq INTEGER NOT NULL,
    replica TEXT NOT NULL,
    counter INTEGER NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (library_id, seq)
);
CREATE UNIQUE INDEX relay_change_dot ON relay_change (library_id, replica, counter);

-- Per library and writing replica, the highest counter held with no gap below it (0 when the
-- first is missing): the library's version vector, and the list of its replicas.
CREATE TABLE relay_vector (
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    counter INTEGER NOT NULL,
    PRIMARY KEY (library_id, replica)
);

-- Replica names clients sent with their pushes, handed back with pulls.
CREATE TABLE relay_name (
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (library_id, replica)
);
