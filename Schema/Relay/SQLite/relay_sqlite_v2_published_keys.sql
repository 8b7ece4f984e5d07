-- What each replica of an encrypted library published about its keys (the ids of its keys, its
-- rotations sealed under older keys, the passphrase wrap; never a key): the relay's copy of a
-- shared folder's `REPLICA/keys.json`. The relay keeps the JSON as opaque bytes, one row per
-- replica, replaced whole when the replica publishes again.
CREATE TABLE relay_keys (
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    bytes BLOB NOT NULL,
    updated_at INTEGER NOT NULL,                 -- ms since 1970
    PRIMARY KEY (library_id, replica)
);
