-- Gloss store, migration v5: the search index reads its text from the rows it indexes.
--
-- Until now FTS5 kept its own copy of every indexed title, body, quote and note: each article's
-- body was stored twice, and each recorded highlight wrote its quote and note twice. The index
-- now takes them from `search_content`, a view over `article` and `annotation` keyed by
-- `search_doc.rowid`. Writers give FTS5 the old values to delete before a row changes (the
-- 'delete' command), which is what an external-content index requires.
-- Append-only: never edit once landed.

DROP TABLE search_index;

CREATE VIEW search_content(rowid, title, body, quote, note) AS
    SELECT d.rowid, a.title, a.body, NULL, NULL
    FROM search_doc d JOIN article a ON a.id = d.entity_id
    WHERE d.kind = 'article'
    UNION ALL
    SELECT d.rowid, NULL, NULL, n.exact, n.note
    FROM search_doc d JOIN annotation n ON n.id = d.entity_id
    WHERE d.kind = 'annotation';

CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, quote, note,
    content = 'search_content', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO search_index(search_index) VALUES ('rebuild');
