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
    /// Full-text search over titles, bodies, quotes and notes, best first.
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        guard let match = Store.ftsQuery(query) else {
            throw GlossError.invalidInput("the search has no words. Give at least one word to look for.")
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.kind, d.entity_id, d.article_id, a.title AS article_title,
                       snippet(search_index, -1, ?, ?, '…', 16) AS snippet,
                       bm25(search_index, 4.0, 1.0, 2.0, 2.0) AS rank
                FROM search_index
                JOIN search_doc d ON d.rowid = search_index.rowid
                JOIN article a ON a.id = d.article_id
                WHERE search_index MATCH ?
                ORDER BY rank, d.entity_id
                LIMIT ?
                """, arguments: [SearchHit.matchStart, SearchHit.matchEnd, match, limit]).map { row in
                SearchHit(kind: SearchHit.Kind(rawValue: row["kind"]) ?? .article, id: row["entity_id"],
                          articleID: row["article_id"], articleTitle: row["article_title"],
                          snippet: row["snippet"], rank: row["rank"])
            }
        }
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
