/// The replicated state of one entity: a register per field. Materialized rows, conflicts and the
/// export are all functions of this value, so replicas holding the same changes show the same thing.
struct EntityState: Hashable, Sendable, Codable {
    var type: EntityType
    var registers: [String: Register] = [:]

    enum CodingKeys: String, CodingKey { case type = "e", registers = "f" }

    init(type: EntityType) { self.type = type }

    /// Merges every operation of `change`; returns the fields that changed.
    @discardableResult
    mutating func apply(_ change: Change) -> [String] {
        var changed: [String] = []
        registers.reserveCapacity(registers.count + change.ops.count)
        for op in change.ops {
            if registers[op.field, default: Register()].apply(op, dot: change.dot, hlc: change.hlc) {
                changed.append(op.field)
            }
        }
        return changed
    }

    /// The value shown for `field`, by its policy; nil when the field was never written.
    func value(_ field: String) -> FieldValue? {
        guard let register = registers[field] else { return nil }
        switch FieldPolicy.of(field) {
        case .earliest:
            return register.values.min { ($0.value.int ?? .max, $0.dot) < ($1.value.int ?? .max, $1.dot) }?.value
        case .setMember:
            return register.values.isEmpty ? nil : .bool(true)
        case .register, .lastWriterWins:
            return register.latest?.value
        }
    }

    func string(_ field: String) -> String? { value(field)?.string }
    func int(_ field: String) -> Int64? { value(field)?.int }
    func bool(_ field: String) -> Bool { value(field)?.bool ?? false }

    /// Members of the tag set, sorted.
    var tags: [String] {
        registers.compactMap { field, register in
            field.hasPrefix(Fields.tagPrefix) && !register.values.isEmpty
                ? String(field.dropFirst(Fields.tagPrefix.count)) : nil
        }.sorted()
    }

    /// The context a local write to `field` carries: every value of it alive now.
    func context(for field: String) -> VersionVector {
        registers[field]?.aliveContext ?? VersionVector()
    }

    /// The context of a delete: everything alive in every field, so an edit the deleter had not
    /// seen stays uncovered and keeps the entity alive.
    var wholeContext: VersionVector {
        registers.values.reduce(into: VersionVector()) { $0.formUnion($1.aliveContext) }
    }

    enum Deletion { case alive, deleted, contested }

    /// Whether the entity is deleted. A delete wins only over what it saw: a value written
    /// concurrently (not covered by the delete's context) keeps the entity and makes a conflict.
    var deletion: Deletion {
        guard let register = registers[Fields.deleted], register.latest?.value == .bool(true) else { return .alive }
        let seen = register.values.filter { $0.value == .bool(true) }
            .reduce(into: VersionVector()) { $0.formUnion($1.context) }
        for (field, other) in registers where field != Fields.deleted {
            if other.values.contains(where: { !seen.covers($0.dot) }) { return .contested }
        }
        return .deleted
    }

    /// Fields a person must look at: distinct siblings of a `.register` field, or a contested delete.
    var conflictedFields: [String] {
        // Without siblings or a delete there is nothing to look at: most entities, every new one.
        guard registers[Fields.deleted] != nil || registers.values.contains(where: { $0.values.count > 1 }) else { return [] }
        var fields = registers.compactMap { field, register in
            FieldPolicy.of(field) == .register && field != Fields.deleted && register.hasDistinctSiblings ? field : nil
        }
        if deletion == .contested || (registers[Fields.deleted]?.hasDistinctSiblings ?? false) {
            fields.append(Fields.deleted)
        }
        return fields.sorted()
    }

    /// The latest write to any field.
    var modified: HLC {
        registers.values.compactMap { $0.latest?.hlc }.max() ?? HLC(rawValue: 0)
    }
}
