-- Snapshots that the replicas of a library uploaded (Schema/Snapshot.md): kept as opaque bytes,
-- in chunks of at most a few MiB, so neither an upload nor a download is held in memory whole.
-- The relay reads only the file's header line (routing data: writer, version vector, format,
-- key id), never its body, which is sealed when the library is encrypted. A snapshot is
-- complete once `sha256` is set (of the whole file as uploaded); until then it is an upload in
-- progress, and one abandoned is removed by a later upload. A library keeps its newest few.
CREATE TABLE relay_snapshot (
    id INTEGER PRIMARY KEY,
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    header TEXT NOT NULL,                        -- the file's header line (JSON)
    changes INTEGER NOT NULL,                    -- what the header says it holds, in changes
    bytes INTEGER NOT NULL DEFAULT 0,            -- the whole file's size, once complete
    sha256 BLOB,                                 -- of the whole file; NULL while uploading
    created_at INTEGER NOT NULL                  -- ms since 1970
);
CREATE INDEX relay_snapshot_by_library ON relay_snapshot (library_id, id);

CREATE TABLE relay_snapshot_chunk (
    snapshot_id INTEGER NOT NULL REFERENCES relay_snapshot(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (snapshot_id, idx)
);
