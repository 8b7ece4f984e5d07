-- Gloss store, migration v12: authorship. Append-only: never edit once landed.
--
-- Each replica signs its own changes in batches (at most 1,000 consecutive counters) with an
-- Ed25519 key, and every receiver checks a batch before taking any change of it.

-- The key each replica signs with: the first one this store verified for it (trust on first
-- use). NULL until the store has seen a signed batch of that replica's.
ALTER TABLE replica ADD COLUMN public_key BLOB;

-- The signatures over the batches of changes this store holds, kept so it can hand them on with
-- the changes. A batch is its writer's counters first..last; the signature is over their
-- canonical bytes (GlossCore's BatchSignature). This store's own private key is in store_meta
-- (private: never replicated, never in a snapshot).
CREATE TABLE change_batch (
    replica_idx INTEGER NOT NULL REFERENCES replica(idx),
    last        INTEGER NOT NULL,
    first       INTEGER NOT NULL,
    signature   BLOB NOT NULL,       -- 64 bytes; the key is the replica's public_key
    PRIMARY KEY (replica_idx, last)
) WITHOUT ROWID;
