-- The relay's tables (PostgreSQL backend): the same shape as Relay/SQLite/relay_sqlite_v1_initial.sql.
-- Statements end with a semicolon at the end of a line: the migrator runs them one at a time.

CREATE TABLE relay_user (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    quota_bytes BIGINT,
    quota_changes BIGINT
);

-- `last_seq` is bumped by each push while it holds the row's lock (SELECT … FOR UPDATE), so a
-- library's sequence numbers commit in order and a pull cursor never steps over a late commit.
CREATE TABLE relay_library (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES relay_user(id),
    name TEXT NOT NULL,
    replica TEXT NOT NULL,
    last_seq BIGINT NOT NULL DEFAULT 0,
    byte_count BIGINT NOT NULL DEFAULT 0,
    change_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE relay_token (
    id TEXT PRIMARY KEY,
    hash BYTEA NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES relay_user(id),
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    read_only BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE relay_change (
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    seq BIGINT NOT NULL,
    replica TEXT NOT NULL,
    counter BIGINT NOT NULL,
    size INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (library_id, seq)
);
CREATE UNIQUE INDEX relay_change_dot ON relay_change (library_id, replica, counter);

CREATE TABLE relay_vector (
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    counter BIGINT NOT NULL,
    PRIMARY KEY (library_id, replica)
);

CREATE TABLE relay_name (
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (library_id, replica)
);
