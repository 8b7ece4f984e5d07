-- Gloss store, migration v16: an annotation's search entry is keyed by the annotation's own row.
-- Append-only: never edit once landed.
--
-- Until now every indexed entity had a `search_doc` row, whose rowid the full-text index used and
-- which mapped it back to the entity's id. For an annotation that is a row and a unique index of
-- its 36-character id written with every highlight: one b-tree insert in five of a recorded
-- highlight's, and 13.6 MB of W2J's joined store (docs/design-notes.md, "What a leaner schema
-- would take off"). An annotation now has a stable integer key of its own, `rowid INTEGER PRIMARY
-- KEY` (an alias of its rowid, so kept by VACUUM and by snapshots, which are `VACUUM INTO`
-- images), and the full-text entry of an annotation has that rowid. Articles, few and written
-- rarely, keep their `search_doc` rows, now with negative rowids, so the two never meet: a search
-- hit with a rowid above 0 is an annotation, below 0 an article.
--
-- Writers keep an annotation's rowid when they rewrite its row (Store+Materialize.swift binds it),
-- since the index holds it; a new article's search row takes the next rowid below the least.

DROP VIEW search_content;
DROP TABLE search_index;

CREATE TABLE annotation_v16 (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
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
    modified_at  INTEGER NOT NULL,
    tags         TEXT,                   -- v13: sorted, joined by U+001F
    noted        INTEGER NOT NULL DEFAULT 0 -- v15: note IS NOT NULL
);
INSERT INTO annotation_v16(id, article_id, kind, exact, prefix, suffix, start, "end", content_hash, note, color,
                           created_at, modified_at, tags, noted)
    SELECT id, article_id, kind, exact, prefix, suffix, start, "end", content_hash, note, color,
           created_at, modified_at, tags, noted
    FROM annotation ORDER BY rowid;
DROP TABLE annotation;
ALTER TABLE annotation_v16 RENAME TO annotation;
CREATE INDEX annotation_by_article ON annotation(article_id, kind, noted, start);

DELETE FROM search_doc WHERE kind = 'annotation';
UPDATE search_doc SET rowid = -rowid WHERE rowid > 0;

CREATE VIEW search_content(rowid, title, body, quote, note) AS
    SELECT d.rowid, a.title, a.body, NULL, NULL
    FROM search_doc d JOIN article a ON a.id = d.entity_id
    WHERE d.rowid < 0
    UNION ALL
    SELECT n.rowid, NULL, NULL, n.exact, n.note
    FROM annotation n
    WHERE n.rowid > 0;

CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, quote, note,
    content = 'search_content', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO search_index(search_index, rank) VALUES ('automerge', 8);
INSERT INTO search_index(search_index) VALUES ('rebuild');
