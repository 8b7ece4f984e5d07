-- Gloss store, migration v15: an article's annotation, highlight and note counts are read from an
-- index alone. Append-only: never edit once landed.
--
-- `gloss list` gives each article's annotations, highlights and notes. The index on
-- (article_id, start) answered the first count; the other two read every annotation row, text and
-- all: listing 300 articles beside 100,000 highlights read 48 MB and took 0.25-0.41 s (W2J's
-- joined store, `gloss list`), against about 40 ms for 10,000 articles without highlights (W6).
-- `noted` says whether the annotation has a note, and the index holds the kind and it, so all
-- three counts are searches of the index. The order within an article (by start) is kept last.
-- SQLite 3.40 does not read an expression (`note IS NOT NULL`) or a generated column from an index
-- as covering, hence a column of its own, written with the row (Store+Materialize.swift).

ALTER TABLE annotation ADD COLUMN noted INTEGER NOT NULL DEFAULT 0;
UPDATE annotation SET noted = 1 WHERE note IS NOT NULL;
DROP INDEX annotation_by_article;
CREATE INDEX annotation_by_article ON annotation(article_id, kind, noted, start);
