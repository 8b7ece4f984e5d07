import Foundation
import GRDB

/// How a person settles a conflict.
public enum Resolution: Hashable, Sendable {
    /// Keep the sibling at this position (1-based, in the order `conflicts()` lists them).
    case keep(Int)
    /// Replace every sibling with this text.
    case value(String)
}

extension Store {
    /// The conflicts among `refs` that still stand, each once, in the order first given: what
    /// several transactions reported as new, less those a later one settled.
    public func standing(_ refs: [ConflictRef]) throws -> [ConflictRef] {
        guard !refs.isEmpty else { return [] }
        return try writer.read { db in
            var seen = Set<ConflictRef>()
            return try refs.filter { ref in
                guard seen.insert(ref).inserted else { return false }
                return try Bool.fetchOne(db, sql: "SELECT 1 FROM conflict WHERE entity_id = ? AND field = ?",
                                         arguments: [ref.entityID, ref.field]) ?? false
            }
        }
    }

    /// Settles a conflicted field with a write whose context covers every sibling, so it clears the
    /// conflict on every replica it reaches. It syncs like any change.
    public func resolve(entityID: String, field: String, _ resolution: Resolution) throws {
        guard let conflict = try conflicts().first(where: { $0.entityID == entityID && $0.field == field }) else {
            throw GlossError.noConflict(entityID: entityID, field: field)
        }
        _ = try writer.write { db in
            try commitLocal(db, type: conflict.entityType, id: entityID) { state in
                guard let state else { return [] }
                if field == Fields.deleted {
                    guard case .keep(let index) = resolution, conflict.siblings.indices.contains(index - 1) else {
                        throw GlossError.deleteConflictNeedsAChoice(values: conflict.siblings.count)
                    }
                    let keepDeleted = conflict.siblings[index - 1].value == .bool(true)
                    return [FieldOp(field: Fields.deleted, value: .bool(keepDeleted),
                                    context: keepDeleted ? state.wholeContext : state.context(for: Fields.deleted))]
                }
                let value: FieldValue
                switch resolution {
                case .keep(let index):
                    guard conflict.siblings.indices.contains(index - 1) else {
                        throw GlossError.conflictValueOutOfRange(requested: index, values: conflict.siblings.count)
                    }
                    value = conflict.siblings[index - 1].value
                case .value(let text):
                    value = field == Fields.color ? .string(try Store.validColor(text)) : .string(text)
                }
                return [FieldOp(field: field, value: value, context: state.context(for: field))]
            }
        }
    }

    /// When a note holds exactly two concurrent versions that merge cleanly from their common
    /// ancestor, writes the merge (a local change covering both). Every replica that sees the two
    /// versions computes the same text, so their merges are equal values, not a new conflict.
    func mergeNoteEdits(_ db: Database, id: String) throws {
        guard let state = try loadState(db, id: id), let register = state.registers[Fields.note],
              register.distinctValues.count == 2 else { return }
        let siblings = register.values.sorted { $0.dot < $1.dot }
        guard let first = siblings.first, let second = siblings.last(where: { $0.value != first.value }),
              let ours = first.value.string, let theirs = second.value.string else { return }
        let base = try noteAncestor(db, id: id, seenBy: first.context, and: second.context)
        guard let merged = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs) else { return }
        try commitLocal(db, type: state.type, id: id) { state in
            guard let state else { return [] }
            return [FieldOp(field: Fields.note, value: .string(merged), context: state.context(for: Fields.note))]
        }
    }

    /// The latest note value both writes had seen ("" when they share none).
    private func noteAncestor(_ db: Database, id: String, seenBy a: VersionVector, and b: VersionVector) throws -> String {
        var best: (hlc: HLC, dot: Dot, text: String)?
        try db.forEachRow("""
            SELECT r.id, c.counter, c.hlc, c.entity_type, c.entity_id, c.ops
            FROM change c JOIN replica r ON r.idx = c.replica_idx WHERE c.entity_id = ?
            """, { $0.bind(id) }) { row in
            let change = try Store.change(row, replica: try Store.replica(row, 0), from: 1)
            guard a.covers(change.dot), b.covers(change.dot),
                  let op = change.ops.first(where: { $0.field == Fields.note }), let value = op.value else { return }
            if best == nil || (change.hlc, change.dot) > (best!.hlc, best!.dot) {
                best = (change.hlc, change.dot, value.string ?? "")
            }
        }
        return best?.text ?? ""
    }
}
