-- Per library and writing replica, the Ed25519 public key its signed batches verified under: the
-- same shape as Relay/SQLite/relay_sqlite_v3_signing_keys.sql.
-- Statements end with a semicolon at the end of a line: the migrator runs them one at a time.

CREATE TABLE relay_signing_key (
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    public_key BYTEA NOT NULL CHECK (length(public_key) = 32),
    PRIMARY KEY (library_id, replica)
);
