import GRDB

/// One search result.
public struct SearchHit: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case article, annotation }
    public var kind: Kind
    public var id: String
    public var articleID: String
    public var articleTitle: String
    /// The matching passage; each match is wrapped in `SearchHit.matchStart` … `matchEnd`.
    public var snippet: String
    /// Lower is better (SQLite FTS5 bm25).
    public var rank: Double

    public static let matchStart = "\u{2}", matchEnd = "\u{3}"
}

extension Store {
    /// Full-text search over titles, bodies, quotes and notes, best first. Besides words, the
    /// query takes filters: `tag:NAME` (the item or its article has the tag), `in:notes`,
    /// `in:quotes`, `in:titles` or `in:text` (where the words must occur), `article:ID-PREFIX`.
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        let parsed = SearchQuery(query)
        guard let match = Store.ftsMatch(parsed) else {
            throw GlossError.emptySearch
        }
        // A hit is an annotation's own row (rowid above 0) or an article's search row (below 0; v16).
        let articleID = "coalesce(n.article_id, d.article_id)"
        var conditions = ["search_index MATCH ?"]
        var arguments: [any DatabaseValueConvertible] = [SearchHit.matchStart, SearchHit.matchEnd, match]
        for tag in parsed.tags {
            // The item's article is tagged, or the item is (an article's tags are `tag` rows, an
            // annotation's are in its row).
            conditions.append("""
                (\(articleID) IN (SELECT entity_id FROM tag WHERE tag = ?) OR \(Store.annotationHasTag("n.tags")))
                """)
            let name = TagName.normalize(tag) ?? tag
            arguments += [name, name]
        }
        for prefix in parsed.articles {
            conditions.append("\(articleID) GLOB ?")
            arguments.append(prefix.lowercased().filter { $0.isHexDigit } + "*")
        }
        arguments.append(limit)
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT CASE WHEN n.rowid IS NULL THEN 'article' ELSE 'annotation' END AS kind, coalesce(n.id, d.entity_id) AS entity_id,
                       \(articleID) AS article_id, a.title AS article_title,
                       snippet(search_index, -1, ?, ?, '…', 16) AS snippet,
                       bm25(search_index, 4.0, 1.0, 2.0, 2.0) AS rank
                FROM search_index
                LEFT JOIN annotation n ON n.rowid = search_index.rowid
                LEFT JOIN search_doc d ON d.rowid = search_index.rowid
                JOIN article a ON a.id = \(articleID)
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY rank, entity_id
                LIMIT ?
                """, arguments: StatementArguments(arguments)).map { row in
                SearchHit(kind: SearchHit.Kind(rawValue: row["kind"]) ?? .article, id: row["entity_id"],
                          articleID: row["article_id"], articleTitle: row["article_title"],
                          snippet: row["snippet"], rank: row["rank"])
            }
        }
    }

    /// The FTS5 match `search` runs for `query`: its words, in the columns its `in:` filters
    /// name; nil when it has no words. The benchmark's plain-FTS5 floor runs the same match.
    package static func ftsMatch(_ query: String) -> String? { ftsMatch(SearchQuery(query)) }

    static func ftsMatch(_ parsed: SearchQuery) -> String? {
        guard let words = ftsQuery(parsed.words.joined(separator: " ")) else { return nil }
        return parsed.columns.isEmpty ? words : "{\(parsed.columns.joined(separator: " "))} : (\(words))"
    }

    /// A person's words as an FTS5 query: every word must occur, a trailing `*` keeps prefix
    /// search, and no character can be read as FTS5 syntax.
    static func ftsQuery(_ query: String) -> String? {
        let words = query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "*") })
            .map { word -> String in
                let prefix = word.hasSuffix("*")
                let bare = word.filter { $0 != "*" }
                return bare.isEmpty ? "" : "\"\(bare)\"" + (prefix ? "*" : "")
            }
            .filter { !$0.isEmpty }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}

/// A search split into words and filters.
struct SearchQuery {
    var words: [String] = []
    var tags: [String] = []
    var articles: [String] = []
    /// FTS columns the words must occur in; empty for all.
    var columns: [String] = []

    init(_ query: String) {
        for token in query.split(whereSeparator: \.isWhitespace).map(String.init) {
            let lower = token.lowercased()
            if lower.hasPrefix("tag:"), token.count > 4 {
                tags.append(String(token.dropFirst(4)))
            } else if lower.hasPrefix("article:"), token.count > 8 {
                articles.append(String(token.dropFirst(8)))
            } else if lower.hasPrefix("in:"), let column = SearchQuery.column(String(lower.dropFirst(3))) {
                if !columns.contains(column) { columns.append(column) }
            } else {
                words.append(token)
            }
        }
    }

    static func column(_ name: String) -> String? {
        switch name {
        case "notes", "note": "note"
        case "quotes", "quote", "highlights": "quote"
        case "titles", "title": "title"
        case "text", "body", "bodies": "body"
        default: nil
        }
    }
}
