import Foundation
import GlossCore
import GRDB
import GRDBSQLite

/// The floor issue 17 measures W1 against: what the store's schema costs to write, without
/// Gloss. `scripts/schema-floor.c` measured it by hand, with tables copied from the migrations
/// and simpler data; this one runs in the same process and run as W1, on W1's own highlights.
///
/// The file is a store as W1's starts (its migrations, so its tables, indexes and full-text
/// index exactly, and the same articles). For each highlight it writes the rows `Store.record` writes: the change in the log
/// (with ops of the size W1's store logged for it), the state row (without registers, as a
/// highlight of one change keeps it), the annotation row, a count for each tag, the search row
/// and its full-text entry; for each call, the batch's signature, the replica's contiguous
/// counter and the clock. One prepared statement each, bound through SQLite's C API, `batch`
/// highlights a transaction. No reads, no encoding, no model: what any program keeping these
/// tables pays.
struct SchemaFloor {
    let directory: URL

    /// Seconds to write the rows of `drafts`, whose logged ops are `opsBytes` long each, into the
    /// store `prepare` makes at the path it is given (W1's starting store: the same articles,
    /// whose text is in the full-text index the highlights' entries merge with).
    func recordSeconds(_ drafts: [AnnotationDraft], opsBytes: [Int], batch: Int, prepare: (String) throws -> Void) throws -> Double {
        precondition(drafts.count == opsBytes.count, "one ops size per highlight")
        let path = directory.appendingPathComponent("schema-floor-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try prepare(path)  // created, migrated, filled and closed
        let database = try DatabasePool(path: path, configuration: Store.configuration)
        defer { try? database.close() }
        let replica = try database.read { db in try Int64.fetchOne(db, sql: "SELECT min(idx) FROM replica") } ?? 1

        let ids = drafts.indices.map { String(format: "%08x-0000-7000-8000-%012x", $0, $0) }
        let ops = opsBytes.map { [UInt8](repeating: 0x5a, count: $0) }
        let tags = drafts.map { $0.tags.isEmpty ? nil : $0.tags.sorted().joined(separator: "\u{1f}") }
        let signature = [UInt8](repeating: 0xa5, count: 64)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try Stopwatch.time {
            var offset = 0
            while offset < drafts.count {
                let end = min(drafts.count, offset + batch)
                try database.write { db in
                    let statements = try Statements(db)
                    for index in offset..<end {
                        let draft = drafts[index], anchor = draft.anchor, id = ids[index], counter = Int64(index + 1)
                        try statements.change.run {
                            $0.integer(replica); $0.integer(counter); $0.integer(now + counter)
                            $0.text("annotation"); $0.text(id); $0.blob(ops[index])
                        }
                        try statements.state.run { $0.text(id); $0.text("annotation"); $0.blob([]) }
                        try statements.annotation.run {
                            $0.text(id); $0.text(draft.articleID); $0.text(draft.kind.rawValue)
                            $0.text(anchor?.exact); $0.text(anchor?.prefix); $0.text(anchor?.suffix)
                            $0.integer(anchor.map { Int64($0.start) }); $0.integer(anchor.map { Int64($0.end) })
                            $0.text(anchor?.contentHash); $0.text(draft.note); $0.text(draft.color)
                            $0.integer(now); $0.integer(now); $0.text(tags[index])
                        }
                        for tag in draft.tags { try statements.tagCount.run { $0.text(tag); $0.integer(1) } }
                        try statements.searchDoc.run { $0.text(id); $0.text("annotation"); $0.text(draft.articleID) }
                        let rowid = sqlite3_last_insert_rowid(db.sqliteConnection)
                        try statements.searchIndex.run {
                            $0.integer(rowid); $0.text(nil); $0.text(nil); $0.text(anchor?.exact); $0.text(draft.note)
                        }
                    }
                    try statements.batch.run { $0.integer(replica); $0.integer(Int64(end)); $0.integer(Int64(offset + 1)); $0.blob(signature) }
                    try statements.contiguous.run { $0.integer(Int64(end)); $0.integer(replica) }
                    try statements.clock.run { $0.text(String(now + Int64(end))) }
                }
                offset = end
            }
        }.seconds
    }

    /// The statements, as the store's (`Store+Write.swift`, `Store+Materialize.swift`) word them.
    private struct Statements {
        var change, state, annotation, tagCount, searchDoc, searchIndex, batch, contiguous, clock: Raw

        init(_ db: Database) throws {
            change = try Raw(db, "INSERT OR IGNORE INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)")
            state = try Raw(db, "INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)")
            annotation = try Raw(db, """
                INSERT OR REPLACE INTO annotation(id, article_id, kind, exact, prefix, suffix, start, "end", content_hash,
                    note, color, created_at, modified_at, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            tagCount = try Raw(db, """
                INSERT INTO annotation_tag_count(tag, annotations) VALUES (?1, ?2)
                ON CONFLICT(tag) DO UPDATE SET annotations = annotations + ?2
                """)
            searchDoc = try Raw(db, "INSERT INTO search_doc(entity_id, kind, article_id) VALUES (?, ?, ?)")
            searchIndex = try Raw(db, "INSERT INTO search_index(rowid, title, body, quote, note) VALUES (?, ?, ?, ?, ?)")
            batch = try Raw(db, "INSERT INTO change_batch(replica_idx, last, first, signature) VALUES (?, ?, ?, ?)")
            contiguous = try Raw(db, "UPDATE replica SET contiguous = ? WHERE idx = ?")
            clock = try Raw(db, "UPDATE store_meta SET value = ? WHERE key = 'hlc'")
        }
    }

    /// A cached GRDB statement, run with its values bound straight through `sqlite3_bind_*`.
    private struct Raw {
        let statement: Statement

        init(_ db: Database, _ sql: String) throws { statement = try db.cachedStatement(sql: sql) }

        /// Binds the values `bind` gives, in order, steps the statement once and resets it.
        func run(_ bind: (inout Binder) -> Void) throws {
            var binder = Binder(handle: statement.sqliteStatement)
            bind(&binder)
            let code = sqlite3_step(binder.handle)
            sqlite3_reset(binder.handle)
            guard code == SQLITE_DONE else { throw BenchError.invalidSetup("schema floor: \(statement.sql): SQLite code \(code)") }
        }
    }

    private struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 1
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        init(handle: OpaquePointer) { self.handle = handle }

        mutating func text(_ value: String?) {
            defer { index += 1 }
            guard var value else { sqlite3_bind_null(handle, index); return }
            let (handle, index) = (handle, index)
            value.withUTF8 { utf8 in
                guard let base = utf8.baseAddress, !utf8.isEmpty else {
                    _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    return
                }
                _ = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(utf8.count), Self.transient)
                }
            }
        }

        mutating func integer(_ value: Int64?) {
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
            index += 1
        }

        mutating func blob(_ bytes: [UInt8]) {
            let (handle, index) = (handle, index)
            _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), Self.transient) }
            self.index += 1
        }
    }
}
