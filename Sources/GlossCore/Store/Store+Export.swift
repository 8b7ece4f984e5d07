import Crypto
public import Foundation
import GRDB

extension Store {
    /// The canonical export: articles and annotations by id, conflicts by entity and field.
    public func export() throws -> CanonicalExport {
        try writer.read { db in
            var articles: [Article] = []
            var annotations: [Annotation] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT id, type FROM entity_state
                WHERE id IN (SELECT id FROM article UNION ALL SELECT id FROM annotation) ORDER BY id
                """) {
                let id: String = row["id"]
                guard let state = try loadState(db, id: id) else { continue }
                switch state.type {
                case .article: if let article = Article(id: id, state: state) { articles.append(article) }
                case .annotation: if let annotation = Annotation(id: id, state: state) { annotations.append(annotation) }
                }
            }
            return CanonicalExport(articles: articles, annotations: annotations,
                                   conflicts: try conflicts(db, names: false).map(CanonicalExport.OpenConflict.init))
        }
    }

    /// The export as JSON: sorted keys, two-space indent, a final newline.
    public func exportJSON() throws -> Data {
        let encoder = Coding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return try encoder.encode(export()) + Data("\n".utf8)
    }

    /// SHA-256 (hex) of `exportJSON()`: equal on any two replicas holding the same changes, and
    /// what `gloss export --format json | sha256sum` prints.
    public func digest() throws -> String {
        Hex.encode(SHA256.hash(data: try exportJSON()))
    }

    /// Every annotation as a W3C Web Annotation `AnnotationCollection` (JSON-LD).
    public func exportW3C() throws -> Data {
        let canonical = try export()
        return try W3CExport.collection(articles: canonical.articles, annotations: canonical.annotations,
                                        label: try replicaName())
    }

    /// Every conflicted field with its siblings, by entity id and field.
    public func conflicts() throws -> [Conflict] {
        try writer.read { db in try conflicts(db, names: true) }
    }

    /// The value a contested delete lists for one edit it did not see: "edited " and its fields.
    static func editedSibling(_ fields: [String]) -> String {
        editedPrefix + fields.sorted().joined(separator: ", ")
    }

    /// The fields an edit sibling of a contested delete names; nil for any other value.
    static func editedFields(_ value: FieldValue) -> [String]? {
        guard let text = value.string, text.hasPrefix(editedPrefix) else { return nil }
        return text.dropFirst(editedPrefix.count).components(separatedBy: ", ")
    }

    private static let editedPrefix = "edited "

    func conflicts(_ db: Database, names: Bool) throws -> [Conflict] {
        var replicaNames: [ReplicaID: String] = [:]
        if names {
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM replica WHERE name IS NOT NULL") {
                if let id = ReplicaID(row["id"]) { replicaNames[id] = row["name"] }
            }
        }
        return try Row.fetchAll(db, sql: "SELECT entity_id, field FROM conflict ORDER BY entity_id, field").compactMap { row in
            let id: String = row["entity_id"]
            let field: String = row["field"]
            guard let state = try loadState(db, id: id), let register = state.registers[field] else { return nil }
            var siblings = register.values
            if field == Fields.deleted, state.deletion == .contested {
                // The edits the delete did not see are the other side: one sibling per edit.
                let seen = register.values.reduce(into: VersionVector()) { $0.formUnion($1.context) }
                var edits: [Dot: (value: RegisterValue, fields: [String])] = [:]
                for (other, otherRegister) in state.registers where other != Fields.deleted {
                    for value in otherRegister.values where !seen.covers(value.dot) {
                        edits[value.dot, default: (value, [])].fields.append(other)
                    }
                }
                for (_, edit) in edits {
                    siblings.append(RegisterValue(value: .string(Store.editedSibling(edit.fields)),
                                                  dot: edit.value.dot, hlc: edit.value.hlc, context: edit.value.context))
                }
            }
            let shown = field == Fields.deleted ? nil : register.latest?.dot
            return Conflict(entityID: id, entityType: state.type, field: field, siblings: siblings
                .sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
                .map { Conflict.Sibling(value: $0.value, replica: $0.dot.replica, replicaName: replicaNames[$0.dot.replica],
                                        counter: $0.dot.counter, time: $0.hlc.milliseconds, isShown: $0.dot == shown) })
        }
    }
}
