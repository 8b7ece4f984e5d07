import Foundation
import GRDB
import GRDBSQLite

extension Store {
    // MARK: - The two calls sync uses

    /// Per replica, the highest counter this store holds with no gap below it.
    public func versionVector() throws -> VersionVector {
        try writer.read { db in try versionVector(db) }
    }

    func versionVector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT id, contiguous FROM replica WHERE contiguous > 0") {
            if let id = ReplicaID(row["id"]) { vector[id] = row["contiguous"] }
        }
        return vector
    }

    /// Every change this store holds that `vector` does not cover, in this store's causal order.
    /// Costs O(changes returned): each replica's missing range is read through its index.
    public func changes(since vector: VersionVector) throws -> [Change] {
        try changePage(since: vector, after: 0, limit: Int(Int32.max)).changes
    }

    /// One page of `changes(since:)`: the changes `vector` lacks whose local sequence number is
    /// above `after`, at most `limit`, in causal order. Page again with `after: page.next` until
    /// `more` is false.
    ///
    /// A page walks the log once, in order, from `after` (on the first page, from the earliest
    /// change the vector lacks, found per replica through the (replica, counter) index), and
    /// keeps the rows of replicas the vector does not cover by their replica and counter alone,
    /// reading a row's operations only when it is sent. So a pull costs the changes it sends
    /// plus one look-up per replica, however many replicas wrote: a replica that wrote one
    /// change long ago does not make every page walk the history after it.
    ///
    /// This replica's changes go signed: any it has not yet signed are signed first (one
    /// signature per batch), and a page never cuts a signed batch (it runs past `limit` to the
    /// end of any batch it started; changes of other writers met on the way are sent again on the
    /// next page, where the receiver skips them as held).
    public func changePage(since vector: VersionVector, after: Int64 = 0, limit: Int) throws -> ChangePage {
        if !writer.writeWithoutTransaction({ db in Store.isReadOnly(db) }) { try signOwnChanges() }
        return try writer.read { db in try Store.changePage(db, since: vector, after: after, limit: limit, own: replicaID) }
    }

    /// `changePage(since:after:limit:)` in the database `db` (a store's, or a snapshot's).
    /// `own` is the replica whose changes go only as far as it has signed them.
    static func changePage(_ db: Database, since vector: VersionVector, after: Int64, limit: Int, own: ReplicaID? = nil) throws -> ChangePage {
        do {
            // Per replica the vector lacks changes of: its id and the counter the vector covers.
            var lacking: [Int64: (id: ReplicaID, known: Int64)] = [:]
            // Per such replica, its signed batches above what the vector covers: last → first
            // and signature. The key is the replica's.
            var batches: [Int64: [Int64: (first: Int64, signature: [UInt8])]] = [:]
            var keys: [Int64: [UInt8]] = [:]
            var ownIndex: Int64?, ownSigned = Int64.max
            var start = Int64.max
            for replica in try Row.fetchAll(db, sql: "SELECT idx, id FROM replica") {
                guard let id = ReplicaID(replica["id"]) else { continue }
                let idx: Int64 = replica["idx"]
                // No counter is above Dot.maxCounter, so a larger entry covers them all.
                let known = Int64(clamping: vector[id])
                if after > 0 {
                    // A later page starts where the last one ended: only whether the replica
                    // has anything to send matters, one step into the index.
                    guard try db.int("SELECT 1 FROM change WHERE replica_idx = ? AND counter > ? LIMIT 1", {
                        $0.bind(idx)
                        $0.bind(known)
                    }) != nil else { continue }
                    start = after
                } else {
                    guard let first = try db.int("SELECT min(seq) FROM change WHERE replica_idx = ? AND counter > ?", {
                        $0.bind(idx)
                        $0.bind(known)
                    }) else { continue }
                    start = min(start, first - 1)
                }
                lacking[idx] = (id, known)
                if let key = try Data.fetchOne(db, sql: "SELECT public_key FROM replica WHERE idx = ?", arguments: [idx]) {
                    keys[idx] = Array(key)
                    var list: [Int64: (Int64, [UInt8])] = [:]
                    try db.forEachRow("SELECT last, first, signature FROM change_batch WHERE replica_idx = ? AND last > ?", {
                        $0.bind(idx)
                        $0.bind(known)
                    }) { row in list[row.int(0)] = (row.int(1), row.bytes(2)) }
                    batches[idx] = list
                }
                if id == own {
                    ownIndex = idx
                    ownSigned = try db.int("SELECT coalesce(max(last), 0) FROM change_batch WHERE replica_idx = ?", { $0.bind(idx) }) ?? 0
                }
            }
            guard !lacking.isEmpty, limit > 0 else { return ChangePage(changes: [], next: after, more: false) }
            let batchEnds = batches.mapValues { $0.keys.sorted() }
            var changes: [Change] = []
            var next = after, more = false
            // Past `limit`, the page goes on only to close the batches it opened: replicas whose
            // last change sent is inside a signed batch whose end is not yet sent.
            // Per replica, the changes of its open batches not yet sent, by the batch's last counter.
            var unsent: [Int64: [Int64: Int64]] = [:]
            // Where the next page starts when this one ran past another writer's change.
            var cut: Int64?
            try db.rows("""
                SELECT seq, replica_idx, counter, hlc, entity_type, entity_id, ops FROM change
                WHERE seq > ? ORDER BY seq
                """, { $0.bind(start) }) { row in
                let idx = row.int(1), counter = row.int(2)
                guard let replica = lacking[idx], counter > replica.known else { return true }
                // This replica's own changes go once signed (a write since the signing waits).
                if idx == ownIndex, counter > ownSigned { return true }
                if changes.count >= limit {
                    guard !unsent.isEmpty else {
                        more = true
                        return false
                    }
                    guard unsent[idx] != nil else {
                        // Another writer's change: the next page starts before it.
                        if cut == nil { cut = next }
                        return true
                    }
                }
                var change = try Store.change(row, replica: replica.id, from: 2)
                if let batch = batches[idx]?[counter], let key = keys[idx] {
                    change.signature = BatchSignature(first: UInt64(batch.first), key: key, signature: batch.signature)
                }
                // The batch this change belongs to (its members may stand in any order in the
                // log): how many of its changes the vector lacks are still to send.
                if let ends = batchEnds[idx], let b = ends.partitioningIndex(counter), let batch = batches[idx]?[ends[b]],
                   batch.first <= counter {
                    var open = unsent[idx] ?? [:]
                    let left = (open[ends[b]] ?? (ends[b] - max(batch.first, replica.known + 1) + 1)) - 1
                    open[ends[b]] = left > 0 ? left : nil
                    unsent[idx] = open.isEmpty ? nil : open
                }
                changes.append(change)
                if cut == nil { next = row.int(0) }
                return true
            }
            if let cut {
                // Changes after the cut that closed a batch are sent again next page, where the
                // receiver skips them as held; the rest of the page stands.
                more = true
                next = cut
            }
            return ChangePage(changes: changes, next: next, more: more)
        }
    }

    /// The change in a row of the log whose columns, from `first`, are counter, hlc, entity_type,
    /// entity_id and ops.
    static func change(_ row: DirectRow, replica: ReplicaID, from first: Int32) throws -> Change {
        guard let type = EntityType(rawValue: row.text(first + 2)) else {
            throw GlossError.invalidChange(.unreadableLogRow)
        }
        return Change(dot: Dot(replica: replica, counter: UInt64(row.int(first))),
                      hlc: HLC(rawValue: UInt64(bitPattern: row.int(first + 1))),
                      entityType: type, entityID: row.text(first + 3),
                      ops: try BinaryCoding.decodeOps(DatabaseBytes(bytes: row.bytes(first + 4))))
    }

    /// The replica id a log query joined in; a malformed one is reported as an unreadable row.
    static func replica(_ row: DirectRow, _ column: Int32) throws -> ReplicaID {
        guard let replica = ReplicaID(row.text(column)) else {
            throw GlossError.invalidChange(.unreadableLogRow)
        }
        return replica
    }

    /// Merges `changes` in one transaction: all of them or, if any is invalid, none. Changes the
    /// store holds already are skipped, so a batch applied twice equals it applied once, and the
    /// resulting state does not depend on the order of the batch. Concurrent note edits that
    /// merge cleanly from their common ancestor are merged here, by a new local change.
    ///
    /// `checkpoint`, when given, is written into the peer's sync state in the same transaction,
    /// so a sync session never records as done what did not durably land.
    @discardableResult
    public func apply(_ changes: [Change], checkpoint: SyncCheckpoint? = nil) throws -> ApplyReport {
        let now = environment.now()
        for change in changes { try Store.validate(change, now: now) }
        return try writer.write { db in
            var report = ApplyReport()
            let batch = WriteBatch()
            var hlc = try batch.clock(db)
            try Store.checkAuthorship(db, changes, batch: batch)
            var conflicted: [String: (EntityType, Set<String>)] = [:]
            for change in changes {
                guard let (before, after) = try integrate(db, change, batch: batch) else {
                    report.duplicates += 1
                    continue
                }
                report.applied += 1
                hlc = hlc.receiving(change.hlc)
                let new = Set(after).subtracting(before)
                if !new.isEmpty { conflicted[change.entityID, default: (change.entityType, [])].1.formUnion(new) }
            }
            batch.hlc = hlc
            try batch.flush(db)
            report.newConflicts = try settleConflicts(db, conflicted)
            if let checkpoint { try write(checkpoint, db) }
            // An article deleted on another replica takes its original here too, as a local
            // delete does (one look at the few rows of kept originals).
            if report.applied > 0, changes.contains(where: { $0.entityType == .article }) {
                _ = try dropOriginalsOfDeletedArticles(db)
            }
            return report
        }
    }

    /// After a batch is in: merges the concurrent note edits of `conflicted` (the fields each
    /// entity newly had in conflict) that merge cleanly, and returns those conflicts still
    /// standing, by entity and field.
    func settleConflicts(_ db: Database, _ conflicted: [String: (EntityType, Set<String>)]) throws -> [ConflictRef] {
        for (id, (_, fields)) in conflicted where fields.contains(Fields.note) {
            try mergeNoteEdits(db, id: id)
        }
        var standing: [ConflictRef] = []
        for (id, (type, fields)) in conflicted.sorted(by: { $0.key < $1.key }) {
            let still = Set(try String.fetchAll(db, sql: "SELECT field FROM conflict WHERE entity_id = ?", arguments: [id]))
            for field in fields.sorted() where still.contains(field) {
                standing.append(ConflictRef(entityID: id, entityType: type, field: field))
            }
        }
        return standing
    }

    /// Rejects a change no honest replica could have written, or stamped more than
    /// `HLC.maxLead` (a day) ahead of the wall time `now` (ms): what `apply` refuses, for a
    /// transport to check what it receives before handing it on.
    /// - Throws: `GlossError.invalidChange`, saying which part of the change is wrong.
    public static func validate(_ change: Change, now: UInt64) throws {
        if let defect = defect(in: change, now: now) { throw GlossError.invalidChange(defect) }
    }

    /// The first rule `change` breaks (see `validate(_:now:)`), or nil when it keeps them all.
    public static func defect(in change: Change, now: UInt64) -> GlossError.ChangeDefect? {
        let dot = change.dot
        if dot.counter == 0 { return .zeroCounter(dot) }
        if dot.counter > Dot.maxCounter { return .counterTooLarge(dot) }
        if change.hlc.isAhead(of: now) { return .stampedAhead(dot, milliseconds: change.hlc.milliseconds, now: now) }
        if change.ops.isEmpty { return .noOperation(dot) }
        if !EntityIDFormat.isValid(change.entityID, for: change.entityType) {
            return .malformedID(dot, type: change.entityType, id: change.entityID)
        }
        if change.ops.contains(where: { $0.field.isEmpty || $0.field.utf8.count > 256 }) { return .malformedFieldName(dot) }
        if change.ops.contains(where: { $0.context.covers(dot) }) { return .seesItself(dot) }
        return nil
    }

    // MARK: - Writability

    /// Throws when this store cannot be written: SQLite opened its file read-only, because this
    /// user may not write it or its disk is mounted read-only. A sync checks this before it
    /// starts, so it fails at once with this message rather than part way, or after saying it
    /// synced.
    /// - Throws: `GlossError.storeUnreadable`, saying the store is read-only.
    public func requireWritable() throws {
        guard writer.writeWithoutTransaction({ db in Store.isReadOnly(db) }) else { return }
        throw GlossError.storeUnreadable(path: path, reason: "it is read-only (this user may not write the file, or its disk is mounted read-only), so nothing can be recorded in it")
    }

    /// True when `db`'s main database was opened read-only.
    static func isReadOnly(_ db: Database) -> Bool {
        sqlite3_db_readonly(db.sqliteConnection, "main") == 1
    }

    // MARK: - Replica identity

    /// This replica's display name.
    public func replicaName() throws -> String {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM replica WHERE id = ?", arguments: [replicaID.rawValue]) ?? replicaID.short
        }
    }

    /// Renames this replica (a local setting; other replicas learn it when they sync).
    public func setReplicaName(_ name: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64 else {
            throw GlossError.invalidName(kind: .replica, length: trimmed.count)
        }
        try writer.write { db in
            try db.execute(sql: "UPDATE replica SET name = ? WHERE id = ?", arguments: [trimmed, replicaID.rawValue])
        }
    }

    /// Records the names other replicas go by (learned while syncing), for conflict listings.
    /// Only replicas the store knows (it holds changes of theirs) are named: a peer's made-up
    /// ids add no row.
    public func learnReplicaNames(_ names: [ReplicaID: String]) throws {
        try writer.write { db in
            for (id, name) in names where id != replicaID {
                try db.execute(sql: "UPDATE replica SET name = ? WHERE id = ?", arguments: [String(name.prefix(64)), id.rawValue])
            }
        }
    }

    /// The names of the replicas this store knows, for conflict listings and for peers.
    public func replicaNames() throws -> [ReplicaID: String] {
        Dictionary(try replicas().compactMap { info in info.name.map { (info.id, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Every replica this store knows, with its name and version-vector entry.
    public func replicas() throws -> [ReplicaInfo] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, contiguous FROM replica ORDER BY idx").compactMap { row in
                guard let id = ReplicaID(row["id"]) else { return nil }
                return ReplicaInfo(id: id, name: row["name"], counter: UInt64(row["contiguous"] as Int64),
                                   isLocal: id == replicaID)
            }
        }
    }
}

/// A page of changes, and where the next one starts.
public struct ChangePage: Hashable, Sendable, Codable {
    public var changes: [Change]
    /// Pass as `after` to get the next page.
    public var next: Int64
    public var more: Bool

    public init(changes: [Change], next: Int64, more: Bool) {
        self.changes = changes
        self.next = next
        self.more = more
    }
}

/// A replica as one store knows it.
public struct ReplicaInfo: Hashable, Sendable, Codable {
    public var id: ReplicaID
    public var name: String?
    public var counter: UInt64
    public var isLocal: Bool
}

/// The shapes entity ids take.
enum EntityIDFormat {
    static func isValid(_ id: String, for type: EntityType) -> Bool {
        let bytes = Array(id.utf8)
        switch type {
        case .article:
            return bytes.count == 32 && bytes.allSatisfy { $0.isHexDigit && !(0x41...0x46).contains($0) }
        case .annotation:
            guard bytes.count == 36 else { return false }
            return bytes.enumerated().allSatisfy { index, byte in
                [8, 13, 18, 23].contains(index) ? byte == UInt8(ascii: "-") : byte.isHexDigit && !(0x41...0x46).contains(byte)
            }
        }
    }
}

extension Array where Element == Int64 {
    /// In these ascending values, the index of the first one at or above `value`; nil when none is.
    func partitioningIndex(_ value: Int64) -> Int? {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count ? low : nil
    }
}
