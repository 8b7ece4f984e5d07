-- Gloss store, migration v13: each annotation's tags, kept with its row instead of a row each.
-- Append-only: never edit once landed.
--
-- Two `tag` rows per highlight (the table and its by-name index, at random places in both) were
-- about a third of what SQLite spends writing a highlight (`scripts/schema-floor.c`, tags on and
-- off). An annotation's tags now live in `annotation.tags`, as an article's have since v6: byte
-- order, separated by U+001F (unit separator), NULL when it has none. `tag` keeps the articles'
-- tags (few rows, read by every article filter). What lists, counts and completes tags reads is
-- `annotation_tag_count`, one small row per tag, which `Store.materialize` keeps in step with the
-- rows. Filtering annotations by a tag tests the row's own `tags`.

ALTER TABLE annotation ADD COLUMN tags TEXT;
UPDATE annotation SET tags = (
    SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM tag t WHERE t.entity_id = annotation.id ORDER BY tag)
);

CREATE TABLE annotation_tag_count (
    tag         TEXT PRIMARY KEY NOT NULL,
    annotations INTEGER NOT NULL        -- visible annotations carrying the tag; the row goes at 0
) WITHOUT ROWID;
INSERT INTO annotation_tag_count(tag, annotations)
    SELECT t.tag, count(*) FROM tag t JOIN annotation a ON a.id = t.entity_id GROUP BY t.tag;

DELETE FROM tag WHERE entity_id IN (SELECT id FROM annotation);
