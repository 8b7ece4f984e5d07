import Foundation
import GRDB
import GRDBSQLite
import GlossSchema
import Synchronization

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
    /// True when every change it holds is signed, so its tables are exactly what its change log
    /// folds to and its writer may vouch for them (sign the file): a joiner may then copy its
    /// pages. False when the copy held changes no batch covers, such as a highlight this store
    /// recorded while the copy was made, or a pre-signature replica's changes.
    public var signable: Bool

    public init(writer: ReplicaID, versionVector: VersionVector, created: UInt64, schema: String, signable: Bool = false) {
        self.writer = writer
        self.versionVector = versionVector
        self.created = created
        self.schema = schema
        self.signable = signable
    }
}

/// What merging a snapshot into a store did.
public struct SnapshotMerge: Hashable, Sendable {
    /// True when the store was empty and took everything it holds from the snapshot.
    public var joined: Bool
    /// Changes the store lacked and took from the snapshot.
    public var received: Int
    public var newConflicts: [ConflictRef]
    /// What the snapshot's change log really holds (counted from its rows, not from anything
    /// the file says of itself).
    public var held: VersionVector
    /// True when the store took the snapshot's pages whole (`adopt`), on its writer's signature;
    /// false when it applied the changes of its log.
    public var pagesCopied = false
}

/// A snapshot is this store's whole database — the change log, every register with its
/// siblings, tags, conflicts, the search index — with nothing private: no tokens, sign-in
/// sessions, saved remotes, sync checkpoints, and not the writer's own identity (`store_meta`).
/// Because it keeps the log, a store takes from it the changes it lacks, each checked and applied
/// as a sync's would be, so merging one equals applying those changes, and a file written by
/// anyone who can write the shared folder can bring no more than a bundle could: nothing of its
/// tables but the rows of its change log is read. The one exception is an empty store joining
/// from a snapshot its writer signed, which takes its pages whole on that signature
/// (`Store+Adopt.swift`). The format is documented in `Schema/Snapshot.md`. These functions read
/// and write SQLite files at paths they are given, or databases in memory (the sync layer moves,
/// checks and expands them).
extension Store {
    /// Tables that belong to one store alone and never leave it in a snapshot.
    public static let privateTables = ["store_meta", "sync_state", "api_token", "remote", "web_session", "login_code", "article_original"]

    /// The last migration of this version's schema: what a snapshot written now says it has run.
    public static var snapshotSchema: String { GlossSchema.migrations.last!.name }

    /// Writes a snapshot of this store to a new SQLite file at `path` (which must not exist).
    /// Other writers may go on meanwhile: it is taken inside one read.
    public func writeSnapshot(to path: String) throws -> SnapshotInfo {
        // Its own changes go signed, as in any page: the snapshot carries the signatures.
        try signOwnChanges()
        return try copySnapshot(to: path)
    }

    /// The copy `writeSnapshot(to:)` makes once this replica's changes are signed: this store's
    /// database without its private tables, and without its own changes that are not signed yet.
    package func copySnapshot(to path: String) throws -> SnapshotInfo {
        // VACUUM INTO reads in a transaction of its own (it cannot run inside one), so other
        // writers go on; what it copied is what the copy's tables say.
        try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        let copy = try DatabaseQueue(path: path)
        let (vector, signable) = try copy.writeWithoutTransaction { db in
            for table in Self.privateTables { try db.execute(sql: "DELETE FROM \(table)") }
            // Whether the copy's tables hold a change its log will not: one of this replica's,
            // written after signing (dropped from the log below, while its state stays), or
            // another replica's that no batch covers.
            let unsigned = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM change c WHERE NOT EXISTS (
                    SELECT 1 FROM change_batch b WHERE b.replica_idx = c.replica_idx AND b.last >= c.counter AND b.first <= c.counter))
                """) ?? true
            // A change this store wrote after signing and before the copy (another connection's,
            // a web reader's highlight) would go unsigned, and a joiner refuses a snapshot with
            // an unsigned change: the copy keeps only what this replica has signed, and its own
            // next sync hands the rest on signed.
            try db.execute(sql: """
                DELETE FROM change WHERE replica_idx = (SELECT idx FROM replica WHERE id = ?1)
                    AND counter > coalesce((SELECT max(b.last) FROM change_batch b JOIN replica r ON r.idx = b.replica_idx WHERE r.id = ?1), 0)
                """, arguments: [replicaID.rawValue])
            try db.execute(sql: """
                UPDATE replica SET contiguous = min(contiguous, coalesce((SELECT max(b.last) FROM change_batch b WHERE b.replica_idx = replica.idx), 0))
                    WHERE id = ?1
                """, arguments: [replicaID.rawValue])
            try db.execute(sql: "VACUUM")
            return (try versionVector(db), !unsigned)
        }
        try copy.close()
        return SnapshotInfo(writer: replicaID, versionVector: vector, created: environment.now(),
                            schema: Self.snapshotSchema, signable: signable)
    }

    /// Whether this store has never held a change.
    public func isEmpty() throws -> Bool {
        try writer.read { db in try Store.isEmpty(db) }
    }

    static func isEmpty(_ db: Database) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT seq FROM change LIMIT 1") == nil
    }

    /// Takes the changes the snapshot at `path` holds and this store lacks, a slice at a time,
    /// each checked as a sync's are (a rewritten dot, a counter out of range, a clock far ahead
    /// refuse the slice). The file is opened as it is, and refused unless its schema is exactly
    /// a store's (no trigger, view or table of its own).
    /// - Throws: `GlossError.notAGlossStore` for a file that is not a snapshot (or whose schema
    ///   is not a store's), `GlossError.storeDamaged` for a damaged one,
    ///   `GlossError.snapshotTooNew` for one written by a newer Gloss, `GlossError.invalidChange`
    ///   for a change no replica could have written.
    ///
    /// With `adoptingPages` (its writer signed the file, and the caller checked that signature)
    /// an empty store takes the snapshot's database whole instead, pages and all (`adopt`):
    /// what it then holds is what the writer vouched for, not recomputed.
    public func mergeSnapshot(at path: String, applySlice: Int = 5_000, adoptingPages: Bool = false) throws -> SnapshotMerge {
        try merge(snapshot: try Self.openSnapshot(path), name: path, applySlice: applySlice, adoptingPages: adoptingPages)
    }

    /// The largest snapshot database `mergeSnapshot(image:)` is asked to hold in memory; a larger
    /// one is expanded into a file beside the store.
    public static let snapshotImageLimit = 512 << 20

    /// `mergeSnapshot(at:)` of a snapshot database held in memory, `bytes` long, which `fill`
    /// writes into the buffer it is given (a stream being expanded: the database never touches
    /// the disk but as this store's pages). `name` says which snapshot in errors.
    public func mergeSnapshot(imageOf bytes: Int, name: String, fill: (UnsafeMutableRawBufferPointer) throws -> Void,
                              applySlice: Int = 5_000, adoptingPages: Bool = false) throws -> SnapshotMerge {
        guard bytes > 0, let memory = sqlite3_malloc64(UInt64(bytes)) else { throw GlossError.notAGlossStore(path: name) }
        Self.adviseHugePages(memory, bytes: bytes)
        do {
            try fill(UnsafeMutableRawBufferPointer(start: memory, count: bytes))
        } catch {
            sqlite3_free(memory)
            throw error
        }
        let source: DatabaseQueue
        do {
            source = try DatabaseQueue(configuration: Self.snapshotConfiguration)
            try source.writeWithoutTransaction { db in
                // SQLite owns the buffer from here, freed when the connection closes (or now,
                // when this fails).
                let code = sqlite3_deserialize(db.sqliteConnection, "main", memory.assumingMemoryBound(to: UInt8.self), Int64(bytes), Int64(bytes),
                                               UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE))
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "the snapshot's database could not be opened") }
            }
        } catch let error as DatabaseError {
            throw GlossError(opening: name, error)
        }
        return try merge(snapshot: try Self.checkSnapshot(source, name: name), name: name, applySlice: applySlice, adoptingPages: adoptingPages)
    }

    /// Asks the kernel to back the 2 MiB-aligned part of a large buffer with huge pages, where
    /// it does so only when asked (`transparent_hugepage` set to `madvise`): a buffer written
    /// whole then takes one page fault per 2 MiB instead of one per 4 KiB (38,000 of them for
    /// a 155 MB database). Only advice: nothing changes where it is not followed.
    package static func adviseHugePages(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 2 << 20
        let start = (Int(bitPattern: memory) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: memory) + bytes) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    private func merge(snapshot source: DatabaseQueue, name path: String, applySlice: Int, adoptingPages: Bool) throws -> SnapshotMerge {
        defer { try? source.close() }
        var empty = try isEmpty()
        let ours = try versionVector()
        var received = 0
        var conflicts: [ConflictRef] = []
        if empty {
            do {
                let adopted = try adoptingPages ? adopt(source) : nil
                if let (received, conflicts) = try adopted ?? join(from: source, pageSize: applySlice) {
                    let held = try source.read { db in try Store.loggedVector(db) }
                    return SnapshotMerge(joined: received > 0, received: received, newConflicts: try standing(conflicts), held: held,
                                         pagesCopied: adopted != nil)
                }
                empty = false
            } catch let error as DatabaseError {
                throw GlossError(opening: path, error)
            }
        }
        do {
            try Store.eachPage(of: source, since: ours, size: applySlice) { page in
                guard !page.changes.isEmpty else { return }
                let report = try apply(page.changes)
                received += report.applied
                conflicts += report.newConflicts
            }
            let held = try source.read { db in try Store.loggedVector(db) }
            return SnapshotMerge(joined: empty && received > 0, received: received, newConflicts: try standing(conflicts), held: held)
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
    }

    /// Calls `body` with each page of the change log of `source` (a snapshot) that `vector`
    /// lacks, in the log's order (a page never cuts a signed batch). The next page is read and
    /// decoded on another thread while `body` runs: the snapshot is a database of its own.
    static func eachPage(of source: DatabaseQueue, since vector: VersionVector, size: Int,
                         _ body: (ChangePage) throws -> Void) throws {
        let read = { @Sendable (after: Int64) throws -> ChangePage in
            try source.read { db in try Store.changePage(db, since: vector, after: after, limit: size) }
        }
        var page = try read(0)
        while true {
            let following = Mutex<Result<ChangePage, any Error>?>(nil)
            let reading = DispatchGroup()
            if page.more {
                let after = page.next
                DispatchQueue.global().async(group: reading) {
                    let result = Result { try read(after) }
                    following.withLock { $0 = result }
                }
            }
            defer { reading.wait() }
            try body(page)
            reading.wait()
            guard let next = following.withLock({ $0 }) else { return }
            page = try next.get()
        }
    }

    /// What the snapshot at `path` holds (from its change log's rows), checked as
    /// `mergeSnapshot` checks the file, without taking anything from it.
    public static func snapshotVector(at path: String) throws -> VersionVector {
        let source = try openSnapshot(path)
        defer { try? source.close() }
        do {
            return try source.read { db in try loggedVector(db) }
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
    }

    /// Per replica, the highest counter the change log holds with every counter below it: what
    /// the rows say, not the `replica` table's counts (which a file may claim anything in).
    static func loggedVector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: """
            SELECT r.id, count(*), max(c.counter), min(c.counter) FROM change c JOIN replica r ON r.idx = c.replica_idx
            GROUP BY c.replica_idx
            """) {
            guard let id = ReplicaID(row[0]) else { continue }
            let (count, highest, lowest): (Int64, Int64, Int64) = (row[1], row[2], row[3])
            guard lowest == 1 else { continue }
            if count == highest {
                vector[id] = UInt64(highest)
            } else if let gap = try Int64.fetchOne(db, sql: """
                SELECT c.counter FROM change c JOIN replica r ON r.idx = c.replica_idx
                WHERE r.id = ? AND NOT EXISTS (SELECT 1 FROM change d WHERE d.replica_idx = c.replica_idx AND d.counter = c.counter + 1)
                ORDER BY c.counter LIMIT 1
                """, arguments: [id.rawValue]) {
                vector[id] = UInt64(gap)
            }
        }
        return vector
    }

    /// Opens a snapshot file, checked: a Gloss database whose schema is exactly what a store of
    /// its migrations has (compared before anything runs on it), migrated to this version's.
    /// It runs with SQLite's defences for files from elsewhere (`trusted_schema` off, cell
    /// sizes checked).
    static func openSnapshot(_ path: String) throws -> DatabaseQueue {
        do {
            return try checkSnapshot(try DatabaseQueue(path: path, configuration: snapshotConfiguration), name: path)
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
    }

    /// A connection to a file from elsewhere.
    private static var snapshotConfiguration: Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON")
        }
        return configuration
    }

    /// The checks of `openSnapshot`, on an open database (`name` says which in errors).
    private static func checkSnapshot(_ queue: DatabaseQueue, name path: String) throws -> DatabaseQueue {
        do {
            // Not `PRAGMA quick_check`: SQLite 3.40 reports a NULL in every WITHOUT ROWID row
            // whose key is not its first columns (the conflict table's). A folder's snapshot is
            // checked by its SHA-256; damage found while reading is reported as damage.
            let applicationID = try queue.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
            guard applicationID == Store.applicationID else { throw GlossError.notAGlossStore(path: path) }
            let known = GlossSchema.migrations.map(\.name)
            let applied = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            if let newer = applied.first(where: { !known.contains($0) }) { throw GlossError.snapshotTooNew(migration: newer) }
            guard let last = known.last(where: applied.contains), try schema(of: queue) == schema(upTo: last) else {
                throw GlossError.notAGlossStore(path: path)
            }
            try Store.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
        return queue
    }

    /// Every table, index, trigger and view of a database with its SQL, in order.
    private static func schema(of reader: some DatabaseReader) throws -> [String] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE substr(name, 1, 7) <> 'sqlite_' ORDER BY type, name").map {
                "\($0[0] as String? ?? "") \($0[1] as String? ?? "") \($0[2] as String? ?? "") \($0[3] as String? ?? "")"
            }
        }
    }

    /// The schema a store has after the migrations up to `migration`.
    private static func schema(upTo migration: String) throws -> [String] {
        let fresh = try DatabaseQueue()
        try Store.migrator.migrate(fresh, upTo: migration)
        return try schema(of: fresh)
    }
}
