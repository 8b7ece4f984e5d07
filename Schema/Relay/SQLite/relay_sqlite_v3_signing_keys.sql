-- Per library and writing replica, the Ed25519 public key (32 bytes) its signed batches of plain
-- changes verified under: the first one the relay verified (trust on first use), as a store keeps
-- it in `replica.public_key`. A push signed under another key for the replica is refused. Sealed
-- changes are not read, so they add no key.
CREATE TABLE relay_signing_key (
    library_id INTEGER NOT NULL REFERENCES relay_library(id),
    replica TEXT NOT NULL,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    PRIMARY KEY (library_id, replica)
);
