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

/// A conflicted field of an entity.
public struct ConflictRef: Hashable, Sendable, Codable {
    public var entityID: String
    public var entityType: EntityType
    public var field: String
}

extension Store {
    // MARK: - Local writes

    /// Records a local change on one entity: `makeOps` sees the entity's current state (nil when
    /// new) and returns the operations; none means nothing to record. Runs inside `db`'s transaction.
    /// `isNew` says the id was just minted, so there is no state to read.
    @discardableResult
    func commitLocal(_ db: Database, type: EntityType, id: String, isNew: Bool = false,
                     _ makeOps: (EntityState?) throws -> [FieldOp]) throws -> Change? {
        let state = isNew ? nil : try loadState(db, id: id)
        if let state, state.type != type { throw GlossError.wrongKind(id: id, expected: "an \(type.rawValue)") }
        let ops = try makeOps(state)
        guard !ops.isEmpty else { return nil }
        let local = try index(of: replicaID, db)
        let counter = try UInt64.fetchOne(db.cachedStatement(sql: "SELECT contiguous FROM replica WHERE idx = ?"),
                                          arguments: [local]) ?? 0
        let hlc = try currentHLC(db).tick(now: environment.now())
        try db.run("UPDATE store_meta SET value = ? WHERE key = 'hlc'", [String(hlc.rawValue)])
        let change = Change(dot: Dot(replica: replicaID, counter: counter + 1), hlc: hlc,
                            entityType: type, entityID: id, ops: ops)
        _ = try integrate(db, change, replicaIndex: local, previous: .some(state))
        return change
    }

    func currentHLC(_ db: Database) throws -> HLC {
        let raw = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_meta WHERE key = 'hlc'"))
        return HLC(rawValue: UInt64(raw ?? "0") ?? 0)
    }

    // MARK: - Integrating a change (local or remote)

    /// Adds `change` to the log and merges it into its entity; nil when the store already had it.
    /// Returns the entity's conflicted fields before and after. A caller that has just read the
    /// entity's state (or knows there is none) passes it as `previous` to save reading it again.
    func integrate(_ db: Database, _ change: Change, replicaIndex: Int64? = nil,
                   previous: EntityState?? = nil) throws -> (before: [String], after: [String])? {
        let replicaIndex = try replicaIndex ?? index(of: change.dot.replica, db)
        try db.run("""
            INSERT OR IGNORE INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)
            """, [replicaIndex, change.dot.counter, Int64(bitPattern: change.hlc.rawValue),
                  change.entityType.rawValue, change.entityID, Data(BinaryCoding.encode(change.ops))])
        guard db.changesCount > 0 else { return nil }
        try advanceContiguous(replicaIndex, past: change.dot.counter, db)

        let stored = try previous ?? loadState(db, id: change.entityID)
        var state = stored ?? EntityState(type: change.entityType)
        guard state.type == change.entityType else {
            throw GlossError.invalidChange("\(change.dot) writes \(change.entityID) as an \(change.entityType.rawValue), but it is an \(state.type.rawValue)")
        }
        let before = state.conflictedFields
        state.apply(change)
        try db.run("INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)",
                   [change.entityID, state.type.rawValue, Data(BinaryCoding.encode(state.registers))])
        try materialize(db, id: change.entityID, state: state, isNew: stored == nil)
        return (before, state.conflictedFields)
    }

    func loadState(_ db: Database, id: String) throws -> EntityState? {
        let statement = try db.cachedStatement(sql: "SELECT type, registers FROM entity_state WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        guard let type = EntityType(rawValue: row["type"]) else {
            throw GlossError.storeUnreadable(path: path, reason: "entity \(id) has an unknown type")
        }
        var state = EntityState(type: type)
        do {
            state.registers = try BinaryCoding.decodeRegisters(DatabaseBytes(row, "registers"))
        } catch {
            throw GlossError.storeUnreadable(path: path, reason: "the state of entity \(id) is unreadable (\(error))")
        }
        return state
    }

    /// The compact local number of a replica, registering it on first sight.
    func index(of replica: ReplicaID, _ db: Database) throws -> Int64 {
        if let idx = try Int64.fetchOne(db.cachedStatement(sql: "SELECT idx FROM replica WHERE id = ?"), arguments: [replica.rawValue]) {
            return idx
        }
        try db.run("INSERT INTO replica(id) VALUES (?)", [replica.rawValue])
        return db.lastInsertedRowID
    }

    /// After `counter` joined the log: when it closes the gap above the replica's version-vector
    /// entry, moves the entry past it and every counter above it already held.
    private func advanceContiguous(_ replicaIndex: Int64, past counter: UInt64, _ db: Database) throws {
        let contiguous = try Int64.fetchOne(db.cachedStatement(sql: "SELECT contiguous FROM replica WHERE idx = ?"),
                                            arguments: [replicaIndex]) ?? 0
        guard Int64(counter) == contiguous + 1 else { return }
        var reached = contiguous + 1
        let held = try db.cachedStatement(sql: "SELECT 1 FROM change WHERE replica_idx = ? AND counter = ?")
        while try Bool.fetchOne(held, arguments: [replicaIndex, reached + 1]) ?? false { reached += 1 }
        try db.run("UPDATE replica SET contiguous = ? WHERE idx = ?", [reached, replicaIndex])
    }
}

extension Database {
    /// Runs one statement, prepared once per connection and reused: the write path's statements
    /// run for every change, and compiling them each time cost more than running them.
    func run(_ sql: String, _ arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension DatabaseBytes {
    /// A stored column's bytes, whether it holds a BLOB or TEXT.
    init(_ row: Row, _ column: String) {
        switch (row[column] as DatabaseValue).storage {
        case .blob(let data): bytes = [UInt8](data)
        case .string(let text): bytes = Array(text.utf8)
        default: bytes = []
        }
    }
}
