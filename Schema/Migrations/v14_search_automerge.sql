-- Gloss store, migration v14: the full-text index merges its segments eight at a time, not four.
-- Append-only: never edit once landed.
--
-- FTS5 writes each transaction's new entries as a segment and, with `automerge` at its default of
-- 4, merges segments as soon as four share a level. On W1's writes (100,000 highlights, 1,000 a
-- transaction) that merging was a fifth to a quarter of what SQLite spent on the store's rows
-- (`scripts/schema-floor.c`, 26.6-30.9 µs a change at 4, 22.5-22.8 at 8, two interleaved runs).
-- At 8 a row of text is merged about half as often; a query reads at most seven segments a level
-- instead of three, over fewer levels. Results and their bm25 ranks do not depend on the segments.
-- The setting is kept in the index's own config table, so it holds for every connection.

INSERT INTO search_index(search_index, rank) VALUES ('automerge', 8);
