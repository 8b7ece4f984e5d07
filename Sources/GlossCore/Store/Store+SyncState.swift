import GRDB

/// What a store remembers of one sync peer: values its transport defines (for a folder, each
/// bundle file applied and what it held), recorded atomically with the changes they account for.
public struct SyncCheckpoint: Hashable, Sendable {
    /// The peer: a folder path, a server URL.
    public var peer: String
    /// Keys to set (a transport's own format, e.g. a bundle file's name and what it held).
    public var values: [String: String]

    public init(peer: String, values: [String: String]) {
        self.peer = peer
        self.values = values
    }
}

extension Store {
    /// Everything recorded for `peer` by earlier syncs.
    public func checkpoint(peer: String) throws -> SyncCheckpoint {
        // A folder keeps a row per bundle and reads them all on every sync: read them directly.
        try writer.read { db in
            var values: [String: String] = [:]
            try db.forEachRow("SELECT key, value FROM sync_state WHERE peer = ?", { $0.bind(peer) }) { row in
                values[row.text(0)] = row.text(1)
            }
            return SyncCheckpoint(peer: peer, values: values)
        }
    }

    /// Records a checkpoint on its own (when no change comes with it); `apply(_:checkpoint:)`
    /// records one with the changes it accounts for.
    public func saveCheckpoint(_ checkpoint: SyncCheckpoint) throws {
        try writer.write { db in try write(checkpoint, db) }
    }

    func write(_ checkpoint: SyncCheckpoint, _ db: Database) throws {
        for (key, value) in checkpoint.values {
            try db.execute(sql: "INSERT OR REPLACE INTO sync_state(peer, key, value) VALUES (?, ?, ?)",
                           arguments: [checkpoint.peer, key, value])
        }
    }
}
