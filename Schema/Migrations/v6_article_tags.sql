-- Gloss store, migration v6: each article's tags, kept with its row, so `gloss list` reads one
-- index and does not look up every article's tags (on 10,000 articles that lookup was 15 ms of a
-- 25 ms query). `tag` stays the table every filter and search by tag uses.
-- `tags` holds the article's tags in byte order, separated by U+001F (unit separator); NULL when
-- it has none. `Store.materialize` writes it with the `tag` rows.
-- Append-only: never edit once landed.

ALTER TABLE article ADD COLUMN tags TEXT;
UPDATE article SET tags = (
    SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM tag t WHERE t.entity_id = article.id ORDER BY tag)
);

-- The listing index of v4, with the tags.
DROP INDEX article_listing;
CREATE INDEX article_listing ON article(saved_at DESC, id, title, url, site, published, words, tags);
