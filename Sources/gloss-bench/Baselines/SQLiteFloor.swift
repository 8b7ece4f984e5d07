import Foundation
import GlossCore
import GRDB

/// The floor a store's writes are compared with: the same rows in one plain SQLite table, one
/// prepared statement, one transaction, in a file opened with the store's own settings
/// (`Store.configuration`, in WAL mode). No change log, no state, no index beyond the key.
struct SQLiteFloor {
    let directory: URL

    /// Seconds to insert one row per draft, in one transaction on a fresh file.
    func insertSeconds(_ drafts: [AnnotationDraft]) throws -> Double {
        let (database, path) = try open("floor-\(UUID().uuidString).sqlite")
        defer { remove(database, path) }
        let ids = drafts.indices.map { String(format: "%08x-0000-7000-8000-%012x", $0, $0) }
        return try Stopwatch.time {
            try database.write { db in
                let insert = try db.makeStatement(sql: """
                    INSERT INTO annotation(id, article_id, quote, prefix, suffix, start, "end", note, color, tag1, tag2)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (id, draft) in zip(ids, drafts) {
                    let anchor = draft.anchor
                    try insert.execute(arguments: [id, draft.articleID, anchor?.exact, anchor?.prefix, anchor?.suffix,
                                                   anchor?.start, anchor?.end, draft.note, draft.color,
                                                   draft.tags.first, draft.tags.dropFirst().first])
                }
            }
        }.seconds
    }

    /// Seconds of each of `samples` one-row transactions: the cost of a commit alone (with
    /// `synchronous = NORMAL` in WAL mode, a commit does not wait for the disk).
    func singleRowCommitSeconds(samples: Int) throws -> [Double] {
        let (database, path) = try open("commit-\(UUID().uuidString).sqlite")
        defer { remove(database, path) }
        return try (0..<(samples + 1)).map { index in
            try Stopwatch.time {
                try database.write { db in
                    try db.execute(sql: "INSERT INTO annotation(id, article_id, quote) VALUES (?, 'article', 'quote')",
                                   arguments: ["row-\(index)"])
                }
            }.seconds
        }.dropFirst().map { $0 }  // the first is a warm-up
    }

    private func open(_ name: String) throws -> (DatabasePool, String) {
        let configuration = Store.configuration
        let path = directory.appendingPathComponent(name).path
        let database = try DatabasePool(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE annotation(id TEXT PRIMARY KEY NOT NULL, article_id TEXT NOT NULL, quote TEXT, prefix TEXT,
                    suffix TEXT, start INTEGER, "end" INTEGER, note TEXT, color TEXT, tag1 TEXT, tag2 TEXT)
                """)
        }
        return (database, path)
    }

    private func remove(_ database: DatabasePool, _ path: String) {
        try? database.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
