import Foundation
import GRDB
public import GlossExtraction

/// What `addArticle` did.
public struct AddResult: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// New to this store.
        case added
        /// The store already had this article: nothing changed.
        case alreadyPresent
        /// The article had been deleted here and is back.
        case restored
        /// A new version of the article's text (same URL): the text changed and every highlight
        /// was located again in it.
        case updated
    }
    public var id: String
    public var title: String
    public var status: Status
    /// For `.updated`: highlights located again, and those whose passage is gone (orphans).
    public var reanchored = 0
    public var orphaned = 0
}

extension Store {
    /// Saves an extracted article. Its id comes from its URL or text, so adding the same article
    /// again changes nothing, and the same article added on two replicas merges into one.
    /// `savedAt` keeps the time a copy of the article was first saved elsewhere (an import).
    public func addArticle(_ extracted: ExtractedArticle, savedAt: Int64? = nil) throws -> AddResult {
        try addArticle(extracted, savedAt: savedAt, flags: [])
    }

    /// `addArticle(_:savedAt:)`, setting the boolean `flags` (read, archived, starred) on an article
    /// new to the store.
    func addArticle(_ extracted: ExtractedArticle, savedAt: Int64?, flags: [String]) throws -> AddResult {
        let text = extracted.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw GlossError.emptyText }
        let title = (extracted.title?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 }
            ?? String(text.prefix(while: { $0 != "\n" }).prefix(80))
        let url = extracted.url.flatMap(Identity.canonicalURL) ?? extracted.url
        let derivedID = Identity.articleID(url: url, text: text)
        let now = savedAt ?? Int64(environment.now())
        return try writer.write { db in
            let id = try url == nil ? articleHoldingText(db, text, otherwise: derivedID) : derivedID
            var status = AddResult.Status.added
            try commitLocal(db, type: .article, id: id) { state in
                if let state {
                    if state.deletion == .deleted {
                        status = .restored
                        return [FieldOp(field: Fields.deleted, value: .bool(false), context: state.context(for: Fields.deleted))]
                    }
                    guard url != nil, state.string(Fields.body) != text else { status = .alreadyPresent; return [] }
                    status = .updated
                    return Store.newVersionOps(state, text: text, title: title)
                }
                var ops: [FieldOp] = [
                    FieldOp(field: Fields.title, value: .string(title)),
                    FieldOp(field: Fields.body, value: .string(text)),
                    FieldOp(field: Fields.savedAt, value: .int(now)),
                    FieldOp(field: Fields.format, value: .string(extracted.format.rawValue)),
                ]
                let optional: [(String, String?)] = [
                    (Fields.url, url), (Fields.byline, extracted.byline), (Fields.site, extracted.siteName),
                    (Fields.published, extracted.published), (Fields.section, extracted.section),
                    (Fields.dateline, extracted.dateline),
                ]
                for (field, value) in optional {
                    if let value, !value.isEmpty { ops.append(FieldOp(field: field, value: .string(value))) }
                }
                for tag in Set(extracted.tags.compactMap(TagName.normalize)).sorted() {
                    ops.append(FieldOp(field: Fields.tag(tag), value: .bool(true)))
                }
                for flag in flags { ops.append(FieldOp(field: flag, value: .bool(true))) }
                return ops
            }
            var result = AddResult(id: id, title: title, status: status)
            if status == .updated { (result.reanchored, result.orphaned) = try reanchor(db, articleID: id) }
            return result
        }
    }

    /// `id`, unless it is new and another live article holds exactly `text` (one whose text was
    /// replaced keeps its first id): then that article's id.
    private func articleHoldingText(_ db: Database, _ text: String, otherwise id: String) throws -> String {
        guard try db.int("SELECT 1 FROM entity_state WHERE id = ?", { $0.bind(id) }) == nil else { return id }
        return try String.fetchOne(db, sql: Store.articleByContentHash, arguments: [ContentHash.of(text)]) ?? id
    }

    /// The live article holding the text of a hash (the first by id, when several do): a lookup
    /// in `article_by_content_hash`.
    static let articleByContentHash = "SELECT id FROM article WHERE content_hash = ? ORDER BY id LIMIT 1"

    /// Replaces an article's text with a new extraction of it (a better extractor, a corrected
    /// copy), keeping its id, and locates every highlight again in the new text. The title changes
    /// only when `extracted` states one.
    public func replaceText(of id: String, with extracted: ExtractedArticle) throws -> AddResult {
        let text = extracted.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw GlossError.emptyText }
        let newTitle = (extracted.title?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 }
        return try writer.write { db in
            let state = try liveState(db, id: id, type: .article)
            let title = newTitle ?? state.string(Fields.title) ?? ""
            guard state.string(Fields.body) != text || state.string(Fields.title) != title else {
                return AddResult(id: id, title: title, status: .alreadyPresent)
            }
            try commitLocal(db, type: .article, id: id) { state in
                state.map { Store.newVersionOps($0, text: text, title: title) } ?? []
            }
            var result = AddResult(id: id, title: title, status: .updated)
            (result.reanchored, result.orphaned) = try reanchor(db, articleID: id)
            return result
        }
    }

    /// The operations that give an article a new text (and title), covering what this replica saw;
    /// an article that waited for its text waits no more.
    static func newVersionOps(_ state: EntityState, text: String, title: String) -> [FieldOp] {
        var ops: [FieldOp] = []
        if state.bool(Fields.waiting) {
            ops.append(FieldOp(field: Fields.waiting, value: .bool(false), context: state.context(for: Fields.waiting)))
        }
        if state.string(Fields.body) != text {
            ops.append(FieldOp(field: Fields.body, value: .string(text), context: state.context(for: Fields.body)))
        }
        if state.string(Fields.title) != title {
            ops.append(FieldOp(field: Fields.title, value: .string(title), context: state.context(for: Fields.title)))
        }
        return ops
    }

    /// Articles, newest first; only those tagged `tag` when given.
    public func articles(tag: String? = nil) throws -> [ArticleSummary] {
        var summaries: [ArticleSummary] = []
        try articles(tag: tag) { summaries.append($0) }
        return summaries
    }

    /// Calls `body` with each article, newest first (only those tagged `tag` when given), one
    /// at a time: a listing of a large library need not hold it all. `body` runs inside the
    /// store's read, so it must not call this store (GRDB stops a reentrant call), and should be
    /// quick: a long read keeps a running server from checkpointing its log.
    public func articles(tag: String? = nil, each body: (ArticleSummary) throws -> Void) throws {
        try articles(tag: tag, after: nil, limit: nil, each: body)
    }

    /// `articles(tag:each:)` from after `cursor`, at most `limit` of them.
    func articles(tag: String?, after cursor: ListingCursor?, limit: Int?, each body: (ArticleSummary) throws -> Void) throws {
        try writer.read { db in
            var sql = """
                SELECT a.id, a.title, a.url, a.site, a.published, a.saved_at,
                       a.words,
                       (SELECT count(*) FROM annotation n WHERE n.article_id = a.id) AS annotations,
                       a.tags,
                       (SELECT count(*) FROM annotation n WHERE n.article_id = a.id AND n.kind = 'highlight'),
                       (SELECT count(*) FROM annotation n WHERE n.article_id = a.id AND n.noted = 1),
                       a.waiting
                FROM article a
                """
            var conditions: [String] = []
            if tag != nil { conditions.append("a.id IN (SELECT entity_id FROM tag WHERE tag = ?)") }
            if cursor != nil { conditions.append("(a.saved_at < ? OR (a.saved_at = ? AND a.id > ?))") }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY a.saved_at DESC, a.id"
            if limit != nil { sql += " LIMIT ?" }
            // Read by position: a library lists thousands of rows, and GRDB's by-name lookup
            // lowercases the name for every cell.
            try db.forEachRow(sql, { statement in
                if let tag { statement.bind(TagName.normalize(tag) ?? tag) }
                if let cursor {
                    statement.bind(cursor.time)
                    statement.bind(cursor.time)
                    statement.bind(cursor.id)
                }
                if let limit { statement.bind(Int64(limit)) }
            }) { row in
                try body(ArticleSummary(
                    id: row.text(0), title: row.text(1), url: row.optionalText(2), siteName: row.optionalText(3),
                    published: row.optionalText(4), savedAt: row.int(5),
                    tags: row.optionalText(8).map(Self.splitTags) ?? [],
                    annotationCount: Int(row.int(7)), highlightCount: Int(row.int(9)), noteCount: Int(row.int(10)),
                    words: Int(row.int(6)), waiting: row.int(11) != 0 ? true : nil))
            }
        }
    }

    /// An article row's `tags` (v6): split on U+001F by bytes, since splitting by characters
    /// cost a fifth of listing 10,000 articles.
    private static func splitTags(_ joined: String) -> [String] {
        joined.utf8.split(separator: 0x1f).map { String(Substring($0)) }
    }

    /// The article `id` (a full id).
    public func article(_ id: String) throws -> Article {
        try writer.read { db in
            guard let article = Article(id: id, state: try liveState(db, id: id, type: .article)) else {
                throw GlossError.unknownID(id)
            }
            return article
        }
    }
}

/// Tag spelling: trimmed, lowercased, inner white space made '-'.
public enum TagName {
    public static func normalize(_ raw: String) -> String? {
        // Most tags arrive already normal: lowercase ASCII without spaces or commas.
        if (1...64).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != 0x2c && !(0x41...0x5a).contains($0) }) {
            return raw
        }
        // Control characters (U+001F separates a row's tags) count as spaces.
        let words = raw.lowercased().split(whereSeparator: {
            $0.isWhitespace || $0 == "," || $0.unicodeScalars.contains { $0.properties.generalCategory == .control }
        })
        let tag = words.joined(separator: "-")
        guard !tag.isEmpty, tag.count <= 64 else { return nil }
        return tag
    }
}
