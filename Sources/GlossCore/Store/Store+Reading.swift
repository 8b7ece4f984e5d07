import Foundation
import GRDB

/// Where a page of a listing ends: the next page starts after it.
public struct ListingCursor: Hashable, Sendable {
    public var time: Int64
    public var id: String

    public init(time: Int64, id: String) {
        self.time = time
        self.id = id
    }

    /// `TIME.ID`, as pages pass it along.
    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: "."), let time = Int64(text[..<dot]) else { return nil }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty, id.count <= 64, id.utf8.allSatisfy({ $0.isHexDigit || $0 == UInt8(ascii: "-") }) else { return nil }
        self.init(time: time, id: id)
    }

    public var description: String { "\(time).\(id)" }
}

/// One page of a listing, newest first.
public struct ListingPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Where the next page starts; nil on the last page.
    public var next: ListingCursor?
}

/// Which annotations a listing shows: every condition given must hold.
public struct AnnotationFilter: Hashable, Sendable {
    public var articleID: String?
    public var tag: String?
    public var color: String?
    public var kind: AnnotationKind?

    public init(articleID: String? = nil, tag: String? = nil, color: String? = nil, kind: AnnotationKind? = nil) {
        self.articleID = articleID
        self.tag = tag
        self.color = color
        self.kind = kind
    }
}

/// A tag and how many visible articles and annotations carry it.
public struct TagCount: Hashable, Sendable, Codable {
    public var name: String
    public var count: Int
}

extension Store {
    /// The most items a listing page holds.
    public static let largestPage = 200

    /// Highlights the passage `range` (Unicode scalars) of an article's text, as a reader's
    /// selection gives it. `contentHash` is the hash of the text the passage was chosen in: when
    /// the article's text has changed since, the passage may no longer be what the person saw,
    /// and nothing is written.
    public func highlight(articleID: String, range: Range<Int>, contentHash: String, note: String? = nil,
                          color: String? = nil, tags: [String] = []) throws -> Annotation {
        let article = try self.article(articleID)
        guard article.contentHash == contentHash else { throw GlossError.textChanged(articleID: article.id) }
        let locator = QuoteLocator(text: article.text)
        guard range.lowerBound >= 0, range.upperBound <= locator.count, !range.isEmpty else {
            throw GlossError.anchorOutOfRange(start: range.lowerBound, end: range.upperBound)
        }
        guard !QuoteLocator.foldQuote(locator.text(range)).isEmpty else { throw GlossError.emptyQuote }
        return try createAnnotation(articleID: article.id, kind: .highlight,
                                    anchor: locator.anchor(range, contentHash: contentHash),
                                    note: note, color: color ?? "yellow", tags: tags)
    }

    /// A page of the library, newest first, after `cursor` (from the start when nil); only
    /// articles tagged `tag` when given. Each page costs what it holds, however large the library.
    public func articlePage(tag: String? = nil, after cursor: ListingCursor? = nil, limit: Int = 50) throws
        -> ListingPage<ArticleSummary> {
        let limit = min(max(1, limit), Store.largestPage)
        var items: [ArticleSummary] = []
        try articles(tag: tag, after: cursor, limit: limit + 1) { items.append($0) }
        let more = items.count > limit
        if more { items.removeLast() }
        return ListingPage(items: items, next: more ? items.last.map { ListingCursor(time: $0.savedAt, id: $0.id) } : nil)
    }

    /// A page of annotations, newest first, that pass `filter`, after `cursor`.
    public func annotationPage(_ filter: AnnotationFilter, after cursor: ListingCursor? = nil, limit: Int = 100) throws
        -> ListingPage<Annotation> {
        let limit = min(max(1, limit), Store.largestPage)
        return try writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let articleID = filter.articleID {
                conditions.append("article_id = ?")
                _ = arguments.append(contentsOf: [articleID])
            }
            if let tag = filter.tag {
                conditions.append(Store.annotationHasTag("tags"))
                _ = arguments.append(contentsOf: [TagName.normalize(tag) ?? tag])
            }
            if let color = filter.color {
                conditions.append("color = ?")
                _ = arguments.append(contentsOf: [color.lowercased()])
            }
            if let kind = filter.kind {
                conditions.append("kind = ?")
                _ = arguments.append(contentsOf: [kind.rawValue])
            }
            if let cursor {
                conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
                _ = arguments.append(contentsOf: [cursor.time, cursor.time, cursor.id])
            }
            let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [limit + 1])
            let ids = try String.fetchAll(db, sql: "SELECT id FROM annotation \(clause) ORDER BY created_at DESC, id DESC LIMIT ?",
                                          arguments: arguments)
            let items = try ids.prefix(limit).map { try annotation(db, id: $0) }
            let next = ids.count > limit ? items.last.map { ListingCursor(time: $0.createdAt, id: $0.id) } : nil
            return ListingPage(items: items, next: next)
        }
    }

    /// The titles of these articles, by id (those the store does not show are left out).
    public func articleTitles(_ ids: some Collection<String>) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try writer.read { db in
            var titles: [String: String] = [:]
            for id in Set(ids) {
                if let title = try String.fetchOne(db, sql: "SELECT title FROM article WHERE id = ?", arguments: [id]) {
                    titles[id] = title
                }
            }
            return titles
        }
    }

    /// An article's word count as listings show it (kept with its row: counting 50 KB of text
    /// again cost a reader page 3 ms).
    public func wordCount(of articleID: String) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT words FROM article WHERE id = ?", arguments: [articleID]) ?? 0 }
    }

    /// Every tag on a visible article or annotation, with how many carry it, by name.
    public func tagCounts() throws -> [TagCount] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT tag, sum(n) AS n FROM (
                    SELECT tag, count(*) AS n FROM tag GROUP BY tag
                    UNION ALL SELECT tag, annotations FROM annotation_tag_count)
                GROUP BY tag ORDER BY tag
                """).map {
                TagCount(name: $0["tag"], count: $0["n"])
            }
        }
    }

    /// Local sync-state rows: when each folder or server was last synced with.
    static let syncedAtPeer = "synced-at"

    /// Records that a sync with `place` (a folder's path, a server's URL) succeeded now.
    public func recordSync(with place: String) throws {
        try saveCheckpoint(SyncCheckpoint(peer: Store.syncedAtPeer, values: [place: String(environment.now())]))
    }

    /// When each place this store has synced with last succeeded (milliseconds since 1970).
    public func lastSyncs() throws -> [String: Int64] {
        try checkpoint(peer: Store.syncedAtPeer).values.compactMapValues { Int64($0) }
    }

    /// The shared folders this store has synced with, by path (from their checkpoints).
    public func syncedFolders() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT substr(peer, 8) FROM sync_state WHERE peer LIKE 'folder:%' ORDER BY 1")
        }
    }
}
