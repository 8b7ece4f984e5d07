-- What each replica of an encrypted library published about its keys: the same shape as
-- Relay/SQLite/relay_sqlite_v2_published_keys.sql.
-- Statements end with a semicolon at the end of a line: the migrator runs them one at a time.

CREATE TABLE relay_keys (
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (library_id, replica)
);
