import GRDB

extension Store {
    /// Rewrites the rows derived from one entity's state: its article or annotation row, tags,
    /// conflicts and search entry. A deleted or not yet complete entity has no rows. `before` is
    /// the state the rows were last derived from, nil for an entity new to the store (which has
    /// no rows to replace); what it counted of an annotation's tags is uncounted from it, not
    /// read back from the row.
    ///
    /// With `deferred` (an empty store's bulk build: every entity new, no `before`), the tag counts are
    /// summed in it and the full-text entries left for `finish(_:in:)` to build in one pass.
    func materialize(_ db: Database, id: String, state: EntityState, before: EntityState? = nil,
                     conflicts: [String]? = nil, deferred: DeferredDerivation? = nil) throws {
        let isNew = before == nil
        if !isNew { try db.write("DELETE FROM conflict WHERE entity_id = ?") { $0.bind(id) } }
        for field in conflicts ?? state.conflictedFields {
            try db.write("INSERT INTO conflict(entity_id, entity_type, field) VALUES (?, ?, ?)") {
                $0.bind(id)
                $0.bind(state.type.rawValue)
                $0.bind(field)
            }
        }
        // An article's tags are rows of `tag`; an annotation's are in its row (v13), counted per
        // tag in `annotation_tag_count`: the old ones are uncounted before the row changes.
        if !isNew {
            switch state.type {
            case .article: try db.write("DELETE FROM tag WHERE entity_id = ?") { $0.bind(id) }
            case .annotation: try countAnnotationTags(db, Self.countedTags(id: id, of: before), by: -1)
            }
        }
        // The search index reads its text from the rows below: it must drop the old text's
        // words before those rows change.
        let searchRow = isNew ? nil : try unindex(db, id: id, type: state.type)

        switch state.type {
        case .article:
            guard state.deletion != .deleted, let article = Article(id: id, state: state) else {
                if isNew { return }
                try db.write("DELETE FROM article WHERE id = ?") { $0.bind(id) }
                return try removeArticleFromSearch(db, rowid: searchRow)
            }
            try db.write("""
                INSERT OR REPLACE INTO article(id, url, title, byline, site, published, section, dateline, format,
                    saved_at, modified_at, body, content_hash, is_read, archived, starred, words, tags, waiting)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """) {
                for text in [id, article.url, article.title, article.byline, article.siteName, article.published,
                             article.section, article.dateline, article.format] { $0.bind(text) }
                $0.bind(article.savedAt)
                $0.bind(article.modifiedAt)
                $0.bind(article.text)
                $0.bind(article.contentHash)
                $0.bind(article.isRead)
                $0.bind(article.isArchived)
                $0.bind(article.isStarred)
                $0.bind(article.isWaiting ? 0 : article.text.utf8.count(where: { $0 == 0x20 }) + 1)
                // Sorted already (`EntityState.tags`); for NFC text, the form tags are typed and
                // synced in, that is also SQLite's byte order, which the v6 migration used.
                $0.bind(article.tags.isEmpty ? nil : article.tags.joined(separator: "\u{1f}"))
                $0.bind(article.isWaiting)
            }
            try insertTags(db, id: id, tags: article.tags)
            let rowid = try searchRow ?? articleSearchRow(db, id: id)
            if deferred == nil {
                try index(db, rowid: rowid, title: article.title, body: article.isWaiting ? nil : article.text, quote: nil, note: nil)
            }

        case .annotation:
            guard state.deletion != .deleted, let annotation = Annotation(id: id, state: state) else {
                if isNew { return }
                // Its search entry, keyed by this row's rowid, went with `unindex`.
                try db.write("DELETE FROM annotation WHERE id = ?") { $0.bind(id) }
                return
            }
            let anchor = annotation.anchor
            // The row keeps its rowid when it is rewritten, since its search entry is keyed by it
            // (v16): an UPDATE, not a REPLACE. An INSERT OR REPLACE naming the rowid could meet two
            // constraints (the rowid and the id), so SQLite would open a statement savepoint for
            // it, and FTS5 flushes its pending entries at every savepoint: one segment a
            // highlight instead of one a transaction.
            let fields = { (binding: inout DirectBinding) in
                binding.bind(annotation.articleID)
                binding.bind(annotation.kind.rawValue)
                binding.bind(anchor?.exact)
                binding.bind(anchor?.prefix)
                binding.bind(anchor?.suffix)
                binding.bind(anchor?.start)
                binding.bind(anchor?.end)
                binding.bind(anchor?.contentHash)
                binding.bind(annotation.note)
                binding.bind(annotation.color)
                binding.bind(annotation.createdAt)
                binding.bind(annotation.modifiedAt)
                // Sorted already (`EntityState.tags`), as an article's are.
                binding.bind(annotation.tags.isEmpty ? nil : annotation.tags.joined(separator: "\u{1f}"))
                binding.bind(annotation.note != nil)
            }
            let rowid: Int64
            if let searchRow {
                rowid = searchRow
                try db.write("""
                    UPDATE annotation SET article_id = ?, kind = ?, exact = ?, prefix = ?, suffix = ?, start = ?, "end" = ?,
                        content_hash = ?, note = ?, color = ?, created_at = ?, modified_at = ?, tags = ?, noted = ?
                    WHERE rowid = ?
                    """) {
                    fields(&$0)
                    $0.bind(searchRow)
                }
            } else {
                try db.write("""
                    INSERT INTO annotation(id, article_id, kind, exact, prefix, suffix, start, "end", content_hash,
                        note, color, created_at, modified_at, tags, noted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """) {
                    $0.bind(id)
                    fields(&$0)
                }
                rowid = db.lastInsertedRowID
            }
            if let deferred {
                for tag in annotation.tags { deferred.tagCounts[tag, default: 0] += 1 }
            } else {
                try countAnnotationTags(db, annotation.tags, by: 1)
            }
            if deferred == nil {
                try index(db, rowid: rowid, title: nil, body: nil, quote: anchor?.exact, note: annotation.note)
            }
        }
    }

    /// The tags `materialize` counted for annotation `id` at `state`: those of the row it wrote
    /// (none for a deleted or not yet complete annotation).
    static func countedTags(id: String, of state: EntityState?) -> [String] {
        guard let state, state.deletion != .deleted,
              let annotation = Annotation(id: id, state: state) else { return [] }
        return annotation.tags
    }

    /// Adds `step` to the count of annotations carrying each of `tags`; a count that
    /// reaches 0 loses its row, so every row names a tag in use.
    private func countAnnotationTags(_ db: Database, _ tags: [String], by step: Int64) throws {
        for tag in tags {
            try db.write("""
                INSERT INTO annotation_tag_count(tag, annotations) VALUES (?1, ?2)
                ON CONFLICT(tag) DO UPDATE SET annotations = annotations + ?2
                """) {
                $0.bind(tag)
                $0.bind(step)
            }
            if step < 0 {
                try db.write("DELETE FROM annotation_tag_count WHERE tag = ? AND annotations <= 0") { $0.bind(tag) }
            }
        }
    }

    private func insertTags(_ db: Database, id: String, tags: [String]) throws {
        for tag in tags {
            try db.write("INSERT INTO tag(entity_id, tag) VALUES (?, ?)") {
                $0.bind(id)
                $0.bind(tag)
            }
        }
    }

    /// Writes what `deferred` collected: the tag counts, and the full-text index built in one
    /// pass over every search entry (FTS5's `rebuild`, which replaces what the index held: only
    /// for a store whose entries were all written deferred).
    func finish(_ deferred: DeferredDerivation, in db: Database) throws {
        for (tag, count) in deferred.tagCounts { try countAnnotationTags(db, [tag], by: count) }
        try db.execute(sql: "INSERT INTO search_index(search_index) VALUES ('rebuild')")
    }

    /// Indexes an entity's text under its search rowid: an annotation's own rowid, or an article's
    /// `search_doc` row (v16).
    private func index(_ db: Database, rowid: Int64, title: String?, body: String?, quote: String?, note: String?) throws {
        try db.write("INSERT INTO search_index(rowid, title, body, quote, note) VALUES (?, ?, ?, ?, ?)") {
            $0.bind(rowid)
            for text in [title, body, quote, note] { $0.bind(text) }
        }
    }

    /// A new search row for article `id`: the next rowid below the least, since annotations' search
    /// entries take theirs above 0 (v16).
    private func articleSearchRow(_ db: Database, id: String) throws -> Int64 {
        try db.write("""
            INSERT INTO search_doc(rowid, entity_id, kind, article_id)
            VALUES ((SELECT min(0, coalesce(min(rowid), 0)) - 1 FROM search_doc), ?1, 'article', ?1)
            """) { $0.bind(id) }
        return db.lastInsertedRowID
    }

    /// Drops an entity's words from the search index, giving FTS5 the text it indexed (still in
    /// the entity's row), and returns its search rowid; nil when it has none.
    private func unindex(_ db: Database, id: String, type: EntityType) throws -> Int64? {
        let lookup = type == .article ? "SELECT rowid FROM search_doc WHERE entity_id = ?" : "SELECT rowid FROM annotation WHERE id = ?"
        guard let rowid = try db.int(lookup, { $0.bind(id) }) else { return nil }
        try db.write("""
            INSERT INTO search_index(search_index, rowid, title, body, quote, note)
            SELECT 'delete', rowid, title, body, quote, note FROM search_content WHERE rowid = ?
            """) { $0.bind(rowid) }
        return rowid
    }

    private func removeArticleFromSearch(_ db: Database, rowid: Int64?) throws {
        guard let rowid else { return }
        try db.write("DELETE FROM search_doc WHERE rowid = ?") { $0.bind(rowid) }
    }
}

extension Article {
    /// The article a state shows; nil until its title and body have arrived, or its title and
    /// the mark that it waits for its body. A body, once there, ends the wait whatever the mark
    /// says (a replica that imported the link concurrently may still hold it true).
    init?(id: String, state: EntityState) {
        let body = state.string(Fields.body)
        let waiting = body == nil && state.bool(Fields.waiting)
        guard let title = state.string(Fields.title), let text = body ?? (waiting ? "" : nil) else { return nil }
        self.init(id: id, url: state.string(Fields.url), title: title, byline: state.string(Fields.byline),
                  siteName: state.string(Fields.site), published: state.string(Fields.published),
                  section: state.string(Fields.section), dateline: state.string(Fields.dateline),
                  format: state.string(Fields.format), savedAt: state.int(Fields.savedAt) ?? 0,
                  modifiedAt: Int64(state.modified.milliseconds), text: text,
                  contentHash: ContentHash.of(text), isRead: state.bool(Fields.read),
                  isArchived: state.bool(Fields.archived), isStarred: state.bool(Fields.starred), tags: state.tags,
                  waiting: waiting ? true : nil)
    }
}

extension Annotation {
    /// The annotation a state shows; nil until its article and kind have arrived.
    init?(id: String, state: EntityState) {
        guard let articleID = state.string(Fields.article),
              let kind = state.string(Fields.kind).flatMap(AnnotationKind.init(rawValue:)) else { return nil }
        self.init(id: id, articleID: articleID, kind: kind, anchor: TextAnchor(state.value(Fields.anchor)),
                  note: state.string(Fields.note), color: state.string(Fields.color),
                  createdAt: state.int(Fields.createdAt) ?? 0, modifiedAt: Int64(state.modified.milliseconds),
                  tags: state.tags)
    }
}

/// What a bulk build of an empty store's rows (a join) leaves to its end: the annotations' tag
/// counts, summed here, and the full-text index (`Store.finish(_:in:)`).
final class DeferredDerivation {
    var tagCounts: [String: Int64] = [:]
}
