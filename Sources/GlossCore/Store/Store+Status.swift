import GRDB

/// A store at a glance.
public struct StoreStatus: Hashable, Sendable, Codable {
    public struct Counts: Hashable, Sendable, Codable {
        public var articles: Int
        public var annotations: Int
        public var highlights: Int
        public var notes: Int
        public var tags: Int
        public var changes: Int
        public var replicas: Int
    }
    public var store: String
    public var replica: ReplicaID
    public var name: String
    public var versionVector: VersionVector
    public var counts: Counts
    public var conflicts: Int
    public var digest: String
}

/// A change as the log lists it.
public struct LogEntry: Hashable, Sendable, Codable {
    public var seq: Int64
    public var replica: ReplicaID
    public var replicaName: String?
    public var counter: UInt64
    /// Milliseconds since 1970 by the writer's hybrid logical clock.
    public var time: UInt64
    public var entityType: EntityType
    public var entityID: String
    public var fields: [String]
}

extension Store {
    public func status() throws -> StoreStatus {
        let (counts, conflicts, name, vector) = try writer.read { db in
            let count = { (sql: String) in try Int.fetchOne(db, sql: sql) ?? 0 }
            let counts = StoreStatus.Counts(
                articles: try count("SELECT count(*) FROM article"),
                annotations: try count("SELECT count(*) FROM annotation"),
                highlights: try count("SELECT count(*) FROM annotation WHERE kind = 'highlight'"),
                notes: try count("SELECT count(*) FROM annotation WHERE note IS NOT NULL"),
                tags: try count("SELECT count(*) FROM (SELECT tag FROM tag UNION SELECT tag FROM annotation_tag_count)"),
                changes: try count("SELECT count(*) FROM change"),
                replicas: try count("SELECT count(*) FROM replica"))
            let name = try String.fetchOne(db, sql: "SELECT name FROM replica WHERE id = ?", arguments: [replicaID.rawValue])
            return (counts, try count("SELECT count(*) FROM conflict"), name ?? replicaID.short, try versionVector(db))
        }
        return StoreStatus(store: path, replica: replicaID, name: name, versionVector: vector, counts: counts,
                           conflicts: conflicts, digest: try digest())
    }

    /// SQLite's own check of the file: "ok", or what is damaged.
    public func checkIntegrity() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// The change log, newest first; only changes to `entityID` when given.
    public func log(limit: Int = 50, entityID: String? = nil) throws -> [LogEntry] {
        try writer.read { db in
            var sql = """
                SELECT c.seq, r.id AS replica, r.name, c.counter, c.hlc, c.entity_type, c.entity_id, c.ops
                FROM change c JOIN replica r ON r.idx = c.replica_idx
                """
            if entityID != nil { sql += " WHERE c.entity_id = ?" }
            sql += " ORDER BY c.seq DESC LIMIT ?"
            var entries: [LogEntry] = []
            try db.forEachRow(sql, {
                if let entityID { $0.bind(entityID) }
                $0.bind(limit)
            }) { row in
                let change = try Store.change(row, replica: try Store.replica(row, 1), from: 3)
                entries.append(LogEntry(seq: row.int(0), replica: change.dot.replica, replicaName: row.optionalText(2),
                                        counter: change.dot.counter, time: change.hlc.milliseconds,
                                        entityType: change.entityType, entityID: change.entityID,
                                        fields: change.ops.map { $0.value == nil ? "-" + $0.field : $0.field }))
            }
            return entries
        }
    }
}
