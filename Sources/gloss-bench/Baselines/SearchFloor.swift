import Foundation
import GlossCore
import GRDB

/// The floor a store's search is compared with: the same titles and texts in one plain FTS5
/// table with the store's tokenizer, asked the same match with the same ranking and snippet,
/// without the store's joins and filters.
struct SearchFloor {
    private let database: DatabasePool

    init(path: String, documents: [(title: String, text: String)]) throws {
        database = try DatabasePool(path: path, configuration: Store.configuration)
        try database.write { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE doc USING fts5(title, body, quote, note, tokenize = 'porter unicode61 remove_diacritics 2')
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO doc(title, body) VALUES (?, ?)")
            for document in documents { try insert.execute(arguments: [document.title, document.text]) }
        }
    }

    /// The ranks of the best 20 documents for an FTS5 `match`, best first, with their snippets
    /// made as the store makes them.
    func search(_ match: String) throws -> [Double] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, snippet(doc, -1, '\u{2}', '\u{3}', '…', 16) AS snippet, bm25(doc, 4.0, 1.0, 2.0, 2.0) AS rank
                FROM doc WHERE doc MATCH ? ORDER BY rank LIMIT 20
                """, arguments: [match]).map { $0["rank"] }
        }
    }

    func close() throws { try database.close() }
}
