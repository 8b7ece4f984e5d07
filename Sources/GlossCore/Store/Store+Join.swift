import Foundation
import GRDB

/// An empty store joining from a snapshot: the snapshot's change log is checked and recorded
/// first, in its order (every signed batch verified whole, every change validated, as `apply`
/// does), then every entity's state is built from its own changes, one entity after another in
/// id order. A state is the join of its changes in any order, so the result is what applying the
/// log change by change gives, and every table keyed by entity id (states, rows, search entries)
/// grows at its end. The tag counts and the search index are built once, at the end.
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
            guard try Store.isEmpty(db) else { return nil }
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
            var conflicted: [String: (EntityType, Set<String>)] = [:]
            var current: (id: String, state: EntityState, logged: Int)?
            func settle() throws {
                guard let (id, state, logged) = current else { return }
                try Store.saveState(db, id: id, state, logged: logged)
                let fields = state.conflictedFields
                try materialize(db, id: id, state: state, conflicts: fields, deferred: deferred)
                if !fields.isEmpty { conflicted[id] = (state.type, Set(fields)) }
            }
            try db.forEachRow("""
                SELECT r.id, c.counter, c.hlc, c.entity_type, c.entity_id, c.ops
                FROM change c JOIN replica r ON r.idx = c.replica_idx ORDER BY c.entity_id, c.seq
                """) { row in
                let change = try Store.change(row, replica: try Store.replica(row, 0), from: 1)
                if current?.id != change.entityID {
                    try settle()
                    current = (change.entityID, EntityState(type: change.entityType), 0)
                }
                current?.logged += 1
                guard current?.state.type == change.entityType else {
                    throw GlossError.invalidChange(.typeMismatch(change.dot, entityID: change.entityID,
                                                                 written: change.entityType, stored: current?.state.type ?? change.entityType))
                }
                _ = current?.state.apply(change)
            }
            try settle()
            // The tag counts and the full-text index, each in one pass (before any merge below
            // rewrites an entry, which needs the index to hold the old one).
            try finish(deferred, in: db)

            // 3. What applying the log would have merged and reported.
            let conflicts = try settleConflicts(db, conflicted)
            return (received, conflicts)
        }
    }
}
