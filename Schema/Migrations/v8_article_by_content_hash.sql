-- Gloss store, migration v8: find a live article by its exact text. Adding a text that another
-- live article already holds looks that article up by the text's hash; without an index the
-- lookup read every article.
-- Append-only: never edit once landed.

CREATE INDEX article_by_content_hash ON article(content_hash, id);
