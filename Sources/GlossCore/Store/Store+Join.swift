import Foundation
import GRDB

/// An empty store joining from a snapshot: the snapshot's change log is checked and recorded
/// first, in its order (every signed batch verified whole, every change validated, as `apply`
/// does), then every entity's state is built from its own changes, one entity after another in
/// id order. A state is the join of its changes in any order, so the result is what applying the
/// log change by change gives; but every table keyed by entity id (states, rows, search entries)
/// then grows at its end instead of at random places, which writes far fewer pages.
///
/// It runs in one transaction: a join lands whole or not at all, and no reader ever sees a log
/// without its state.
extension Store {
    /// What an empty store's join from `source` took: the changes, and the conflicts standing;
    /// nil when the store was not empty once its transaction began (another writer came first),
    /// so the caller merges change by change instead.
    func join(from source: DatabaseQueue, pageSize: Int) throws -> (received: Int, conflicts: [ConflictRef])? {
        let now = environment.now()
        return try writer.write { db in
            guard try Int64.fetchOne(db, sql: "SELECT seq FROM change LIMIT 1") == nil else { return nil }
            let batch = WriteBatch()
            var hlc = try batch.clock(db)
            var received = 0
            // 1. The log, page by page in the snapshot's order (a page never cuts a signed batch).
            try Store.eachPage(of: source, since: VersionVector(), size: pageSize) { page in
                for change in page.changes { try Store.validate(change, now: now) }
                try Store.checkAuthorship(db, page.changes, batch: batch)
                for change in page.changes where try Store.log(db, change, batch: batch) {
                    received += 1
                    hlc = hlc.receiving(change.hlc)
                }
            }
            batch.hlc = hlc
            try batch.flush(db)

            // 2. Each entity's state from its changes, in id order.
            let deferred = DeferredDerivation()
            var conflicted: [(id: String, type: EntityType, fields: [String])] = []
            var current: (id: String, state: EntityState)?
            func settle() throws {
                guard let (id, state) = current else { return }
                try db.write("INSERT INTO entity_state(id, type, registers) VALUES (?, ?, ?)") {
                    $0.bind(id)
                    $0.bind(state.type.rawValue)
                    $0.bind(BinaryCoding.encode(state.registers))
                }
                let fields = state.conflictedFields
                try materialize(db, id: id, state: state, isNew: true, conflicts: fields, deferred: deferred)
                if !fields.isEmpty { conflicted.append((id, state.type, fields)) }
            }
            let statement = try db.makeStatement(sql: """
                SELECT r.id, c.counter, c.hlc, c.entity_type, c.entity_id, c.ops
                FROM change c JOIN replica r ON r.idx = c.replica_idx ORDER BY c.entity_id, c.seq
                """)
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                guard let replica = ReplicaID(row[0] as String),
                      let type = EntityType(rawValue: row[3] as String) else {
                    throw GlossError.invalidChange(.unreadableLogRow)
                }
                let change = Change(dot: Dot(replica: replica, counter: UInt64(row[1] as Int64)),
                                    hlc: HLC(rawValue: UInt64(bitPattern: row[2] as Int64)),
                                    entityType: type, entityID: row[4],
                                    ops: try BinaryCoding.decodeOps(DatabaseBytes(bytes: Array(row[5] as Data))))
                if current?.id != change.entityID {
                    try settle()
                    current = (change.entityID, EntityState(type: change.entityType))
                }
                guard current?.state.type == change.entityType else {
                    throw GlossError.invalidChange(.typeMismatch(change.dot, entityID: change.entityID,
                                                                 written: change.entityType, stored: current?.state.type ?? type))
                }
                _ = current?.state.apply(change)
            }
            try settle()
            // The tag counts and the full-text index, each in one pass (before any merge below
            // rewrites an entry, which needs the index to hold the old one).
            try finish(deferred, in: db)

            // 3. What applying the log would have merged and reported.
            var conflicts: [ConflictRef] = []
            for (id, type, fields) in conflicted {
                if fields.contains(Fields.note) { try mergeNoteEdits(db, id: id) }
                let standing = Set(try String.fetchAll(db, sql: "SELECT field FROM conflict WHERE entity_id = ?", arguments: [id]))
                for field in fields.sorted() where standing.contains(field) {
                    conflicts.append(ConflictRef(entityID: id, entityType: type, field: field))
                }
            }
            return (received, conflicts)
        }
    }
}
