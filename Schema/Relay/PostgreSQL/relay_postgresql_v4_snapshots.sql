-- Snapshots that the replicas of a library uploaded, as opaque chunks: the same shape as
-- Relay/SQLite/relay_sqlite_v4_snapshots.sql.
-- Statements end with a semicolon at the end of a line: the migrator runs them one at a time.

CREATE TABLE relay_snapshot (
    id BIGSERIAL PRIMARY KEY,
    library_id BIGINT NOT NULL REFERENCES relay_library(id),
    header TEXT NOT NULL,
    changes BIGINT NOT NULL,
    bytes BIGINT NOT NULL DEFAULT 0,
    sha256 BYTEA,
    created_at BIGINT NOT NULL
);
CREATE INDEX relay_snapshot_by_library ON relay_snapshot (library_id, id);

CREATE TABLE relay_snapshot_chunk (
    snapshot_id BIGINT NOT NULL REFERENCES relay_snapshot(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (snapshot_id, idx)
);
