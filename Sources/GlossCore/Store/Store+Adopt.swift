import Foundation
import GRDB

/// An empty store joining from a snapshot its writer signed: it takes the snapshot's database
/// whole, page by page (SQLite's online backup), with its own private tables (identity, keys,
/// tokens, saved servers, checkpoints), its own replica row (name, public key) and its clock
/// (past every change it takes) put in first. Nothing is decoded or rebuilt, so a join costs
/// about what writing the database's pages once does.
///
/// What this trusts, and `join(from:pageSize:)` does not: that the snapshot's tables are what its
/// change log folds to. Its writer vouched for that by signing the file (Schema/Snapshot.md),
/// which it does only when every change the copy holds is signed (`SnapshotInfo.signable`).
///
/// The copy lands whole or not at all, and nothing else writes the store meanwhile: for its
/// duration the store leaves write-ahead logging for a rollback journal and holds its file
/// alone (`locking_mode = EXCLUSIVE`), so the pages are written once, into the file, and a
/// crash part-way leaves a journal that rolls the file back to the empty store on next open.
extension Store {
    /// What an empty store's adoption of `source` took; nil when it could not adopt (the store
    /// is not empty, it has more than one connection, or another process holds it open in a
    /// transaction), so the caller joins by replaying the log instead.
    func adopt(_ source: DatabaseQueue) throws -> (received: Int, conflicts: [ConflictRef])? {
        // A server's pool has readers of its own, which must never see the journal change.
        guard let queue = writer as? DatabaseQueue else { return nil }
        let own = replicaID
        // A snapshot naming this store's own, fresh id was not made honestly (no other replica
        // has heard of it): the log replay checks each such change against this replica's own
        // signature, and refuses it.
        let namesThisReplica = try source.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM replica WHERE id = ?)", arguments: [own.rawValue]) ?? true
        }
        guard !namesThisReplica else { return nil }

        return try queue.writeWithoutTransaction { db -> (received: Int, conflicts: [ConflictRef])? in
            defer { Self.restoreWriteAheadLog(db) }
            // Out of write-ahead logging: SQLite refuses (answers "wal", or busy) while another
            // connection is reading or writing.
            guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete" else { return nil }
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
            // The exclusive lock, kept past this transaction until the modes are restored.
            try db.execute(sql: "BEGIN EXCLUSIVE")
            let privateRows: [(String, [Row])]
            let ownRow: Row?
            do {
                guard try Store.isEmpty(db) else {
                    try db.execute(sql: "ROLLBACK")
                    return nil
                }
                privateRows = try Self.privateTables.map { table in (table, try Row.fetchAll(db, sql: "SELECT * FROM \(table)")) }
                // This replica's own row: its name and public key (it holds no change yet).
                ownRow = try Row.fetchOne(db, sql: "SELECT id, name, public_key FROM replica WHERE id = ?", arguments: [own.rawValue])
                try db.execute(sql: "COMMIT")
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }

            // The snapshot (this sync's own copy, in memory or beside the store) gets this
            // store's private rows and its clock moved past every change it holds, as receiving
            // them would; then it is copied in as one transaction, so the store never holds the
            // one without the other.
            try source.inDatabase { snapshot in
                try snapshot.inTransaction {
                    for (table, rows) in privateRows {
                        try snapshot.execute(sql: "DELETE FROM \(table)")
                        for row in rows {
                            let marks = Array(repeating: "?", count: row.count).joined(separator: ", ")
                            try snapshot.execute(sql: "INSERT INTO \(table) VALUES (\(marks))",
                                                 arguments: StatementArguments(row.databaseValues))
                        }
                    }
                    if let ownRow {
                        try snapshot.execute(sql: "INSERT INTO replica(id, name, public_key) VALUES (?, ?, ?)",
                                             arguments: StatementArguments(ownRow.databaseValues))
                    }
                    let batch = WriteBatch()
                    let latest = try Int64.fetchOne(snapshot, sql: "SELECT max(hlc) FROM change") ?? 0
                    batch.hlc = try batch.clock(snapshot).receiving(HLC(rawValue: UInt64(max(0, latest))))
                    try batch.flush(snapshot)
                    return .commit
                }
                // The copy goes through a page cache of 2 MiB, not the store's 64 MiB: its pages are
                // written once either way, and a large cache would only be allocated and filled
                // (a page fault and a memory copy a page) on the way to the file.
                let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65_536
                try db.execute(sql: "PRAGMA cache_size = -2048")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
                try snapshot.backup(to: db)
            }

            // What it took: every change, and the conflicts standing.
            let received = try Int.fetchOne(db, sql: "SELECT count(*) FROM change") ?? 0
            var conflicts: [ConflictRef] = []
            for row in try Row.fetchAll(db, sql: "SELECT entity_id, entity_type, field FROM conflict ORDER BY entity_id, field") {
                guard let type = EntityType(rawValue: row[1]) else { continue }
                conflicts.append(ConflictRef(entityID: row[0], entityType: type, field: row[2]))
            }
            return (received, conflicts)
        }
    }

    /// Back to write-ahead logging and shared locking, as every other connection expects.
    private static func restoreWriteAheadLog(_ db: Database) {
        try? db.execute(sql: "PRAGMA locking_mode = NORMAL")
        _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
    }
}
