import Foundation
import GRDB

/// What applying a batch of changes did.
public struct ApplyReport: Hashable, Sendable, Codable {
    /// Changes new to this store.
    public var applied = 0
    /// Changes it already held (a retried or duplicated delivery).
    public var duplicates = 0
    /// Fields that became conflicted by this batch.
    public var newConflicts: [ConflictRef] = []

    public init(applied: Int = 0, duplicates: Int = 0, newConflicts: [ConflictRef] = []) {
        self.applied = applied
        self.duplicates = duplicates
        self.newConflicts = newConflicts
    }
}

extension Store {
    // MARK: - Local writes

    /// Records a local change on one entity: `makeOps` sees the entity's current state (nil when
    /// new) and returns the operations; none means nothing to record. Runs inside `db`'s transaction.
    /// `isNew` says the id was just minted, so there is no state to read.
    @discardableResult
    func commitLocal(_ db: Database, type: EntityType, id: String, isNew: Bool = false, batch: WriteBatch? = nil,
                     _ makeOps: (EntityState?) throws -> [FieldOp]) throws -> Change? {
        let state = isNew ? nil : try loadState(db, id: id)
        if let state, state.type != type { throw GlossError.wrongKind(id: id, expected: "an \(type.rawValue)") }
        let ops = try makeOps(state)
        guard !ops.isEmpty else { return nil }
        let own = batch ?? WriteBatch()
        let local = try own.index(of: replicaID, db)
        let counter = try own.contiguous(local, db)
        let hlc = try own.clock(db).tick(now: environment.now())
        own.hlc = hlc
        let change = Change(dot: Dot(replica: replicaID, counter: UInt64(counter) + 1), hlc: hlc,
                            entityType: type, entityID: id, ops: ops)
        _ = try integrate(db, change, batch: own, previous: .some(state))
        if batch == nil { try own.flush(db) }
        return change
    }

    // MARK: - Integrating a change (local or remote)

    /// Adds `change` to the log and merges it into its entity; nil when the store already had it.
    /// Returns the entity's conflicted fields before and after. A caller that has just read the
    /// entity's state (or knows there is none) passes it as `previous` to save reading it again.
    /// What the batch caches (version vector, clock) reaches the database when it is flushed.
    func integrate(_ db: Database, _ change: Change, batch: WriteBatch,
                   previous: EntityState?? = nil) throws -> (before: [String], after: [String])? {
        // Read before the change is logged: a state kept as its log (`foldedChangesAtMost`)
        // would otherwise be read with the change already in it.
        let stored = try previous ?? loadState(db, id: change.entityID)
        guard try Store.log(db, change, batch: batch) else { return nil }
        var state = stored ?? EntityState(type: change.entityType)
        guard state.type == change.entityType else {
            throw GlossError.invalidChange(.typeMismatch(change.dot, entityID: change.entityID, written: change.entityType, stored: state.type))
        }
        let before = stored == nil ? [] : state.conflictedFields
        state.apply(change)
        // A new entity's log is this change alone; another's is counted in its index.
        let logged = stored == nil ? 1 : try Store.loggedChanges(db, of: change.entityID)
        try Store.saveState(db, id: change.entityID, state, logged: logged)
        let after = state.conflictedFields
        try materialize(db, id: change.entityID, state: state, before: stored, conflicts: after)
        return (before, after)
    }

    /// Adds `change` to the log and moves the version vector past it; false when the log held
    /// it already (the very same change: a different one under its dot is refused).
    static func log(_ db: Database, _ change: Change, batch: WriteBatch) throws -> Bool {
        let replicaIndex = try batch.index(of: change.dot.replica, db)
        try db.write("""
            INSERT OR IGNORE INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)
            """) {
            $0.bind(replicaIndex)
            $0.bind(Int64(bitPattern: change.dot.counter))
            $0.bind(Int64(bitPattern: change.hlc.rawValue))
            $0.bind(change.entityType.rawValue)
            $0.bind(change.entityID)
            $0.bind(BinaryCoding.encode(change.ops))
        }
        guard db.changesCount > 0 else {
            try Store.requireSame(db, change, replicaIndex: replicaIndex)
            return false
        }
        try batch.advance(replicaIndex, past: Int64(change.dot.counter), db)
        return true
    }

    /// Throws unless `change` is the very change the log holds under its dot: a duplicate is
    /// skipped, but a different change claiming the same dot is refused, never taken silently.
    /// Only duplicates pay this read, and a sync sends few.
    static func requireSame(_ db: Database, _ change: Change, replicaIndex: Int64) throws {
        var held: Change?
        try db.forEachRow("SELECT counter, hlc, entity_type, entity_id, ops FROM change WHERE replica_idx = ? AND counter = ?", {
            $0.bind(replicaIndex)
            $0.bind(Int64(bitPattern: change.dot.counter))
        }) { row in held = try Store.change(row, replica: change.dot.replica, from: 0) }
        guard let held, held.sameContent(as: change) else { throw GlossError.invalidChange(.rewritten(change.dot)) }
    }

    /// The state of `id`, an entity not deleted (and a `type` one, when given).
    /// - Throws: `GlossError.unknownID` otherwise.
    func liveState(_ db: Database, id: String, type: EntityType? = nil) throws -> EntityState {
        guard let state = try loadState(db, id: id), type == nil || state.type == type, state.deletion != .deleted else {
            throw GlossError.unknownID(id)
        }
        return state
    }

    /// An entity with at most this many changes keeps no registers in `entity_state` (an empty
    /// value there): its state is folded from its changes, which the log holds anyway, when it
    /// is read. A highlight's registers (its quote, prefix, suffix and note, each with its dot
    /// and context) were a third of the bytes writing it cost, and it is rarely read again.
    static let foldedChangesAtMost = 4

    /// Writes `state` as entity `id`'s, whose log holds `logged` changes: its registers, or
    /// none when the log is short enough to fold (`foldedChangesAtMost`).
    static func saveState(_ db: Database, id: String, _ state: EntityState, logged: Int) throws {
        try db.write("INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)") {
            $0.bind(id)
            $0.bind(state.type.rawValue)
            $0.bind(logged <= foldedChangesAtMost ? [] : BinaryCoding.encode(state.registers))
        }
    }

    /// How many changes the log holds of entity `id`, counted no further than one past
    /// `foldedChangesAtMost` (all `saveState` asks): an entity with a long history costs what a
    /// short one does, however many changes a peer sends it.
    static func loggedChanges(_ db: Database, of id: String) throws -> Int {
        Int(try db.int("SELECT count(*) FROM (SELECT 1 FROM change WHERE entity_id = ? LIMIT ?)", {
            $0.bind(id)
            $0.bind(foldedChangesAtMost + 1)
        }) ?? 0)
    }

    func loadState(_ db: Database, id: String) throws -> EntityState? {
        var found: (type: String, registers: [UInt8])?
        try db.forEachRow("SELECT type, registers FROM entity_state WHERE id = ?", { $0.bind(id) }) { row in
            found = (row.text(0), row.bytes(1))
        }
        guard let found else { return nil }
        guard let type = EntityType(rawValue: found.type) else {
            throw GlossError.storeUnreadable(path: path, reason: "entity \(id) has an unknown type")
        }
        var state = EntityState(type: type)
        do {
            if found.registers.isEmpty {
                // Folded from the log: a state is the join of its changes, in any order.
                try db.forEachRow("""
                    SELECT r.id, c.counter, c.hlc, c.entity_type, c.entity_id, c.ops
                    FROM change c JOIN replica r ON r.idx = c.replica_idx WHERE c.entity_id = ?
                    """, { $0.bind(id) }) { row in
                    _ = state.apply(try Store.change(row, replica: try Store.replica(row, 0), from: 1))
                }
            } else {
                state.registers = try BinaryCoding.decodeRegisters(DatabaseBytes(bytes: found.registers))
            }
        } catch {
            throw GlossError.storeUnreadable(path: path, reason: "the state of entity \(id) is unreadable (\(error))")
        }
        return state
    }

    /// The compact local number of a replica, registering it on first sight.
    func index(of replica: ReplicaID, _ db: Database) throws -> Int64 {
        try WriteBatch().index(of: replica, db)
    }
}

/// What one transaction's changes keep in memory instead of reading and writing per change:
/// replica numbers, version-vector entries and the clock. `flush` writes what moved; run it
/// before the transaction commits and before anything else in it reads those rows.
final class WriteBatch {
    private var indices: [ReplicaID: Int64] = [:]
    /// Per replica number: the version-vector entry, and the highest counter held.
    private var entries: [Int64: (contiguous: Int64, highest: Int64)] = [:]
    private var moved: Set<Int64> = []
    /// The clock after this batch's changes; nil until first read.
    var hlc: HLC?

    func index(of replica: ReplicaID, _ db: Database) throws -> Int64 {
        if let known = indices[replica] { return known }
        let idx: Int64
        if let existing = try db.int("SELECT idx FROM replica WHERE id = ?", { $0.bind(replica.rawValue) }) {
            idx = existing
        } else {
            try db.write("INSERT INTO replica(id) VALUES (?)") { $0.bind(replica.rawValue) }
            idx = db.lastInsertedRowID
        }
        indices[replica] = idx
        return idx
    }

    func contiguous(_ replicaIndex: Int64, _ db: Database) throws -> Int64 {
        try entry(replicaIndex, db).contiguous
    }

    private func entry(_ replicaIndex: Int64, _ db: Database) throws -> (contiguous: Int64, highest: Int64) {
        if let known = entries[replicaIndex] { return known }
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT contiguous, (SELECT max(counter) FROM change WHERE replica_idx = ?1) AS highest FROM replica WHERE idx = ?1
            """), arguments: [replicaIndex])
        let contiguous: Int64 = row?["contiguous"] ?? 0
        let known = (contiguous, max(contiguous, row?["highest"] ?? 0))
        entries[replicaIndex] = known
        return known
    }

    /// `counter` (just added to the log) closes the gap above the version-vector entry: move the
    /// entry past it and past every counter above it already held. In-order delivery, the usual
    /// case, moves it by one without a query.
    func advance(_ replicaIndex: Int64, past counter: Int64, _ db: Database) throws {
        var (contiguous, highest) = try entry(replicaIndex, db)
        if counter - 1 == contiguous {
            contiguous = counter
            if highest > counter {
                while try db.int("SELECT 1 FROM change WHERE replica_idx = ? AND counter = ?", {
                    $0.bind(replicaIndex)
                    $0.bind(contiguous + 1)
                }) != nil { contiguous += 1 }
            }
            moved.insert(replicaIndex)
        }
        entries[replicaIndex] = (contiguous, max(highest, counter))
    }

    func clock(_ db: Database) throws -> HLC {
        if let hlc { return hlc }
        let raw = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_meta WHERE key = 'hlc'"))
        let loaded = HLC(rawValue: UInt64(raw ?? "0") ?? 0)
        hlc = loaded
        return loaded
    }

    func flush(_ db: Database) throws {
        for idx in moved {
            try db.write("UPDATE replica SET contiguous = ? WHERE idx = ?") {
                $0.bind(entries[idx]?.contiguous ?? 0)
                $0.bind(idx)
            }
        }
        moved = []
        if let hlc { try db.write("UPDATE store_meta SET value = ? WHERE key = 'hlc'") { $0.bind(String(hlc.rawValue)) } }
        // Others may write these rows next: read them afresh.
        entries = [:]
        hlc = nil
    }
}
