-- Gloss store, migration v4: each article's word count, kept with its row, so listing a large
-- library does not scan every body (counting words in SQL read all the text on each `gloss list`).
-- The count is the number of spaces plus one, the measure listings have always shown.
-- Append-only: never edit once landed.

ALTER TABLE article ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
UPDATE article SET words = length(body) - length(replace(body, ' ', '')) + 1;

-- What `gloss list` shows, in its order, so listing reads this index alone and not the rows
-- (whose bodies sit before `words` in each record).
CREATE INDEX article_listing ON article(saved_at DESC, id, title, url, site, published, words);
