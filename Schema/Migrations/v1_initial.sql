-- Gloss store, migration v1. Append-only: never edit once landed; add v2_….sql instead.
--
-- Three layers of tables:
--   1. replication: who we are, which replicas we know, the change log;
--   2. replicated state: per entity, its field registers (the merge's source of truth);
--   3. materialized views derived from (2) for reading, listing and search. They can always be
--      rebuilt from entity_state and are never sent to another replica.

PRAGMA application_id = 1196182355; -- 'GLSS': marks the file as a Gloss store

-- 1. Replication ---------------------------------------------------------------------------------

-- Local settings of this store: replica_id, name, counter, hlc, identity (file identity seen last).
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every replica this store has heard of, itself included. `contiguous` is this replica's entry in
-- the store's version vector: the highest counter held with no gaps below it.
CREATE TABLE replica (
    idx        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    name       TEXT,
    contiguous INTEGER NOT NULL DEFAULT 0
);

-- The change log, in the order this store applied the changes (a causal order).
CREATE TABLE change (
    seq         INTEGER PRIMARY KEY,
    replica_idx INTEGER NOT NULL REFERENCES replica(idx),
    counter     INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    ops         TEXT NOT NULL,          -- JSON array of field operations
    UNIQUE (replica_idx, counter)
);
CREATE INDEX change_by_entity ON change(entity_id);

-- 2. Replicated state ----------------------------------------------------------------------------

-- Per entity, every field register as JSON: the values alive (siblings when concurrent) with their
-- dots, HLCs and contexts, and the vector of dots already overwritten.
CREATE TABLE entity_state (
    id        TEXT PRIMARY KEY NOT NULL,
    type      TEXT NOT NULL,
    registers TEXT NOT NULL
) WITHOUT ROWID;

-- 3. Materialized views --------------------------------------------------------------------------

CREATE TABLE article (
    id           TEXT PRIMARY KEY NOT NULL,
    url          TEXT,
    title        TEXT NOT NULL,
    byline       TEXT,
    site         TEXT,
    published    TEXT,
    section      TEXT,
    dateline     TEXT,
    format       TEXT,
    saved_at     INTEGER NOT NULL,      -- milliseconds since 1970
    modified_at  INTEGER NOT NULL,
    body         TEXT NOT NULL,
    content_hash TEXT NOT NULL,         -- SHA-256 of body, hex
    is_read      INTEGER NOT NULL DEFAULT 0,
    archived     INTEGER NOT NULL DEFAULT 0,
    starred      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX article_by_saved_at ON article(saved_at);

CREATE TABLE annotation (
    id           TEXT PRIMARY KEY NOT NULL,
    article_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,          -- highlight | note | bookmark
    exact        TEXT,                   -- TextQuoteSelector
    prefix       TEXT,
    suffix       TEXT,
    start        INTEGER,                -- TextPositionSelector, in Unicode scalars
    "end"        INTEGER,
    content_hash TEXT,                   -- body hash the selectors were made against
    note         TEXT,
    color        TEXT,
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL
);
CREATE INDEX annotation_by_article ON annotation(article_id, start);

CREATE TABLE tag (
    entity_id TEXT NOT NULL,
    tag       TEXT NOT NULL,
    PRIMARY KEY (entity_id, tag)
) WITHOUT ROWID;
CREATE INDEX tag_by_name ON tag(tag);

-- Registers holding more than one distinct value, and deletes concurrent with edits.
CREATE TABLE conflict (
    entity_id   TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    field       TEXT NOT NULL,
    PRIMARY KEY (entity_id, field)
) WITHOUT ROWID;

-- Full-text search over titles, bodies, quotes and notes. search_doc gives every indexed entity a
-- stable integer rowid shared with the FTS table.
CREATE TABLE search_doc (
    rowid      INTEGER PRIMARY KEY,
    entity_id  TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,            -- article | annotation
    article_id TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, quote, note,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
