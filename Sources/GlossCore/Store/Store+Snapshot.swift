import Foundation
import GRDB
import GlossSchema

/// What a snapshot holds, as its writer saw it.
public struct SnapshotInfo: Hashable, Sendable, Codable {
    /// The replica that wrote it.
    public var writer: ReplicaID
    /// Every change it holds, per replica (counters with no gap below them).
    public var versionVector: VersionVector
    /// Milliseconds since 1970.
    public var created: UInt64
    /// The last schema migration its database has run (`v9_web_sessions`, …).
    public var schema: String
}

/// What merging a snapshot into a store did.
public struct SnapshotMerge: Hashable, Sendable {
    /// True when the store was empty and became a copy of the snapshot's pages.
    public var joined: Bool
    /// Changes the store lacked and took from the snapshot.
    public var received: Int
    public var newConflicts: [ConflictRef]
}

/// A snapshot is this store's whole database — the change log, every register with its
/// siblings, tags, conflicts, the search index, the version vector — with nothing private: no
/// tokens, sign-in sessions, saved remotes, sync checkpoints, and not the writer's own identity
/// (`store_meta`). Because it keeps the log, it merges into any replica exactly as the changes it
/// holds would: a store takes the changes it lacks from it, and an empty store takes its pages
/// whole (SQLite's backup), which is how a new replica joins in about the time of copying them.
/// The format is documented in `Schema/Snapshot.md`. These functions read and write SQLite files
/// at paths they are given (the sync layer moves and compresses them).
extension Store {
    /// Tables that belong to one store alone and never leave it in a snapshot.
    public static let privateTables = ["store_meta", "sync_state", "api_token", "remote", "web_session", "login_code", "article_original"]

    /// Writes a snapshot of this store to a new SQLite file at `path` (which must not exist).
    /// Other writers may go on meanwhile: it is taken inside one read.
    public func writeSnapshot(to path: String) throws -> SnapshotInfo {
        // VACUUM INTO reads in a transaction of its own (it cannot run inside one), so other
        // writers go on; what it copied is what the copy's tables say.
        try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        let copy = try DatabaseQueue(path: path)
        let vector = try copy.writeWithoutTransaction { db in
            for table in Self.privateTables { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "VACUUM")
            return try versionVector(db)
        }
        try copy.close()
        return SnapshotInfo(writer: replicaID, versionVector: vector, created: environment.now(),
                            schema: GlossSchema.migrations.last!.name)
    }

    /// Whether this store has never held a change: what may become a copy of a snapshot.
    public func isEmpty() throws -> Bool {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM change LIMIT 1") == nil }
    }

    /// Takes what the snapshot at `path` (a file `writeSnapshot` wrote) holds and this store
    /// lacks. An empty store becomes a copy of its pages, keeping its own identity and its local
    /// tables; any other store applies the changes it lacks, as a sync would. The file is read,
    /// and may be migrated in place to this version's schema: give a copy.
    /// - Throws: `GlossError.notAGlossStore` for a file that is not a snapshot,
    ///   `GlossError.storeDamaged` for a damaged one, `GlossError.snapshotTooNew` for one written
    ///   by a newer Gloss.
    public func mergeSnapshot(at path: String, applySlice: Int = 5_000) throws -> SnapshotMerge {
        let source = try Self.openSnapshot(path)
        defer { try? source.close() }
        if try isEmpty() {
            try join(source)
            return SnapshotMerge(joined: true, received: try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change") ?? 0 },
                                 newConflicts: [])
        }
        let ours = try versionVector()
        var received = 0
        var conflicts: [ConflictRef] = []
        var after: Int64 = 0
        while true {
            let page = try source.read { db in try Store.changePage(db, since: ours, after: after, limit: applySlice) }
            if !page.changes.isEmpty {
                let report = try apply(page.changes)
                received += report.applied
                conflicts += report.newConflicts
            }
            guard page.more else { break }
            after = page.next
        }
        return SnapshotMerge(joined: false, received: received, newConflicts: try standing(conflicts))
    }

    /// Opens a snapshot file, checked: a Gloss database of a schema this version reads (an
    /// older one is migrated).
    static func openSnapshot(_ path: String) throws -> DatabaseQueue {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path)
            // Not `PRAGMA quick_check`: SQLite 3.40 reports a NULL in every WITHOUT ROWID row
            // whose key is not its first columns (the conflict table's). A folder's snapshot is
            // checked by its SHA-256; damage found while reading is reported as damage.
            let applicationID = try queue.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
            guard applicationID == Store.applicationID else { throw GlossError.notAGlossStore(path: path) }
            let known = Set(GlossSchema.migrations.map(\.name))
            let applied = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            if let newer = applied.first(where: { !known.contains($0) }) { throw GlossError.snapshotTooNew(migration: newer) }
            try Store.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
        return queue
    }

    /// Makes this empty store a copy of `source`'s pages with what is this store's own put back:
    /// its identity (replica id, name, clock, file identity) and its local tables. They are
    /// written into `source` first and the pages copied in one step, so a process killed at any
    /// point leaves the store as it was or joined, never half of it.
    private func join(_ source: DatabaseQueue) throws {
        let local = try writer.read { db in
            try Self.privateTables.map { table in (table, try Row.fetchAll(db, sql: "SELECT * FROM \(table)")) }
        }
        let me = try writer.read { db in try Row.fetchOne(db, sql: "SELECT id, name FROM replica WHERE id = ?", arguments: [replicaID.rawValue]) }
        try source.write { db in
            for (table, rows) in local {
                try db.execute(sql: "DELETE FROM \(table)")
                for row in rows {
                    let columns = Array(row.columnNames)
                    let sql = "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
                    try db.execute(sql: sql, arguments: StatementArguments(columns.map { row[$0] as DatabaseValue }))
                }
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM replica WHERE id = ?", arguments: [replicaID.rawValue]) == nil {
                try db.execute(sql: "INSERT INTO replica(id, name) VALUES (?, ?)", arguments: [replicaID.rawValue, me?["name"] as String?])
            }
            // The clock moves on from every change taken: the next local write comes after them.
            let latest = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT max(hlc) FROM change") ?? 0)
            let clock = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'hlc'").flatMap { UInt64($0) } ?? 0
            try db.execute(sql: "INSERT OR REPLACE INTO store_meta(key, value) VALUES ('hlc', ?)", arguments: [String(max(latest, clock))])
        }
        try source.backup(to: writer)
    }
}
