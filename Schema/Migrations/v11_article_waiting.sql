-- Gloss store, migration v11: articles known only by their address, waiting for their text (an
-- imported link, a book whose highlights came from a Kindle or Readwise). `waiting` is 1 while
-- the article's state has no body; its row then holds an empty body, 0 words, and no text in the
-- search index. `Store.materialize` writes it.
-- Append-only: never edit once landed.

ALTER TABLE article ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;

-- The listing index of v6, with the waiting flag, so `gloss list` still reads one index.
DROP INDEX article_listing;
CREATE INDEX article_listing ON article(saved_at DESC, id, title, url, site, published, words, tags, waiting);
