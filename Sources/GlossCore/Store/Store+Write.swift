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
        let counter = try UInt64.fetchOne(db, sql: "SELECT contiguous FROM replica WHERE id = ?",
                                          arguments: [replicaID.rawValue]) ?? 0
        let hlc = try currentHLC(db).tick(now: environment.now())
        try db.execute(sql: "UPDATE store_meta SET value = ? WHERE key = 'hlc'", arguments: [String(hlc.rawValue)])
        let change = Change(dot: Dot(replica: replicaID, counter: counter + 1), hlc: hlc,
                            entityType: type, entityID: id, ops: ops)
        _ = try integrate(db, change)
        return change
    }

    func currentHLC(_ db: Database) throws -> HLC {
        HLC(rawValue: UInt64(try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'hlc'") ?? "0") ?? 0)
    }

    // MARK: - Integrating a change (local or remote)

    /// Adds `change` to the log and merges it into its entity; nil when the store already had it.
    /// Returns the entity's conflicted fields before and after.
    func integrate(_ db: Database, _ change: Change) throws -> (before: [String], after: [String])? {
        let replicaIndex = try index(of: change.dot.replica, db)
        let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM change WHERE replica_idx = ? AND counter = ?",
                                      arguments: [replicaIndex, change.dot.counter]) ?? false
        if known { return nil }
        try db.execute(
            sql: "INSERT INTO change(replica_idx, counter, hlc, entity_type, entity_id, ops) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [replicaIndex, change.dot.counter, Int64(bitPattern: change.hlc.rawValue),
                        change.entityType.rawValue, change.entityID, try Coding.encode(change.ops)])
        try advanceContiguous(replicaIndex, db)

        var state = try loadState(db, id: change.entityID) ?? EntityState(type: change.entityType)
        guard state.type == change.entityType else {
            throw GlossError.invalidChange("\(change.dot) writes \(change.entityID) as an \(change.entityType.rawValue), but it is an \(state.type.rawValue)")
        }
        let before = state.conflictedFields
        state.apply(change)
        try db.execute(sql: "INSERT OR REPLACE INTO entity_state(id, type, registers) VALUES (?, ?, ?)",
                       arguments: [change.entityID, state.type.rawValue, try Coding.encode(state.registers)])
        try materialize(db, id: change.entityID, state: state)
        return (before, state.conflictedFields)
    }

    func loadState(_ db: Database, id: String) throws -> EntityState? {
        guard let row = try Row.fetchOne(db, sql: "SELECT type, registers FROM entity_state WHERE id = ?", arguments: [id]) else {
            return nil
        }
        guard let type = EntityType(rawValue: row["type"]) else {
            throw GlossError.storeUnreadable(path: path, reason: "entity \(id) has an unknown type")
        }
        var state = EntityState(type: type)
        state.registers = try Coding.decode([String: Register].self, from: row["registers"])
        return state
    }

    /// The compact local number of a replica, registering it on first sight.
    func index(of replica: ReplicaID, _ db: Database) throws -> Int64 {
        if let idx = try Int64.fetchOne(db, sql: "SELECT idx FROM replica WHERE id = ?", arguments: [replica.rawValue]) {
            return idx
        }
        try db.execute(sql: "INSERT INTO replica(id) VALUES (?)", arguments: [replica.rawValue])
        return db.lastInsertedRowID
    }

    /// Moves the replica's version-vector entry past every counter now held without a gap.
    private func advanceContiguous(_ replicaIndex: Int64, _ db: Database) throws {
        var contiguous = try Int64.fetchOne(db, sql: "SELECT contiguous FROM replica WHERE idx = ?", arguments: [replicaIndex]) ?? 0
        let start = contiguous
        while try Bool.fetchOne(db, sql: "SELECT 1 FROM change WHERE replica_idx = ? AND counter = ?",
                                arguments: [replicaIndex, contiguous + 1]) ?? false {
            contiguous += 1
        }
        if contiguous != start {
            try db.execute(sql: "UPDATE replica SET contiguous = ? WHERE idx = ?", arguments: [contiguous, replicaIndex])
        }
    }
}
