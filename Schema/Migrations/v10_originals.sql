-- Gloss store, migration v10: the original each article was extracted from (a saved page, an
-- EPUB, a PDF), so a better extractor can read it again. Local to this store, never replicated.
-- The bytes themselves are files beside the store, named by their SHA-256 (zstd-compressed);
-- several articles may share one. A row goes with its article, and a file with its last row.
-- Append-only: never edit once landed.

CREATE TABLE article_original (
    article_id TEXT PRIMARY KEY NOT NULL,  -- the article whose text came from it
    sha256     TEXT NOT NULL,              -- hex SHA-256 of the original bytes: the file's name
    size       INTEGER NOT NULL,           -- bytes before compression
    format     TEXT NOT NULL,              -- what it was read as: text, markdown, html, pdf, epub
    source     TEXT,                       -- the file name or web address it came from
    charset    TEXT,                       -- the character set the web server declared, if any
    saved_at   INTEGER NOT NULL            -- milliseconds since 1970
) WITHOUT ROWID;

CREATE INDEX article_original_by_hash ON article_original(sha256);
