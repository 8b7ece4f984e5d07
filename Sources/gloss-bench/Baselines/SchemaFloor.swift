import Foundation
import GlossCore
import GRDB

/// The floor issue 17 measures W1 against: what the store's schema costs to write, without
/// Gloss. `scripts/schema-floor.c` measured it by hand, with tables copied from the migrations
/// and simpler data; this one runs in the same process and run as W1, on W1's own highlights.
///
/// The file is a store as W1's starts (its migrations, so its tables, indexes and full-text
/// index exactly, and the same articles). For each highlight it writes the rows `Store.record` writes: the change in the log
/// (with ops of the size W1's store logged for it), the state row (without registers, as a
/// highlight of one change keeps it), the annotation row, a count for each tag, and the
/// full-text entry keyed by the annotation row's rowid (since v16; a search row of its own
/// before); for each call, the batch's signature, the replica's contiguous
/// counter and the clock. One prepared statement each, bound as the store binds its own
/// (`Database.write` and `DirectBinding`, straight through SQLite's C API), `batch`
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
                    for index in offset..<end {
                        let draft = drafts[index], anchor = draft.anchor, id = ids[index], counter = Int64(index + 1)
                        try db.write("INSERT OR IGNORE INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)") {
                            $0.bind(replica); $0.bind(counter); $0.bind(now + counter)
                            $0.bind("annotation"); $0.bind(id); $0.bind(ops[index])
                        }
                        try db.write("INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)") {
                            $0.bind(id); $0.bind("annotation"); $0.bind([UInt8]())
                        }
                        try db.write("""
                            INSERT OR REPLACE INTO annotation(id, article_id, kind, exact, prefix, suffix, start, "end", content_hash,
                                note, color, created_at, modified_at, tags, noted)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """) {
                            $0.bind(id); $0.bind(draft.articleID); $0.bind(draft.kind.rawValue)
                            $0.bind(anchor?.exact); $0.bind(anchor?.prefix); $0.bind(anchor?.suffix)
                            $0.bind(anchor?.start); $0.bind(anchor?.end)
                            $0.bind(anchor?.contentHash); $0.bind(draft.note); $0.bind(draft.color)
                            $0.bind(now); $0.bind(now); $0.bind(tags[index]); $0.bind(draft.note != nil)
                        }
                        // The search entry is keyed by the annotation row's rowid (v16).
                        let rowid = db.lastInsertedRowID
                        for tag in draft.tags {
                            try db.write("""
                                INSERT INTO annotation_tag_count(tag, annotations) VALUES (?1, ?2)
                                ON CONFLICT(tag) DO UPDATE SET annotations = annotations + ?2
                                """) {
                                $0.bind(tag); $0.bind(Int64(1))
                            }
                        }
                        try db.write("INSERT INTO search_index(rowid, title, body, quote, note) VALUES (?, ?, ?, ?, ?)") {
                            $0.bind(rowid); $0.bind(String?.none); $0.bind(String?.none); $0.bind(anchor?.exact); $0.bind(draft.note)
                        }
                    }
                    try db.write("INSERT INTO change_batch(replica_idx, last, first, signature) VALUES (?, ?, ?, ?)") {
                        $0.bind(replica); $0.bind(Int64(end)); $0.bind(Int64(offset + 1)); $0.bind(signature)
                    }
                    try db.write("UPDATE replica SET contiguous = ? WHERE idx = ?") { $0.bind(Int64(end)); $0.bind(replica) }
                    try db.write("UPDATE store_meta SET value = ? WHERE key = 'hlc'") { $0.bind(String(now + Int64(end))) }
                }
                offset = end
            }
        }.seconds
    }
}
