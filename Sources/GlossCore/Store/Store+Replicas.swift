import Foundation
import GRDB

/// A replica as this store knows it: what it wrote, when it was last heard from, and how far
/// behind this store it was when it last said what it holds.
public struct ReplicaStatus: Hashable, Sendable, Codable {
    public var id: ReplicaID
    public var name: String?
    public var isLocal: Bool
    /// The changes of its own this store holds.
    public var changes: UInt64
    /// Milliseconds since 1970 of its latest change this store holds, if any.
    public var lastChange: UInt64?
    /// When it last published what it holds in a shared folder this store syncs with.
    public var lastSeen: UInt64?
    /// Changes this store holds that it did not have then (nil when it never published).
    public var behind: UInt64?
    /// Said by a person to be gone for good: it no longer holds compaction back.
    public var isRetired: Bool
    /// The Ed25519 public key this store verifies its changes with (base64), trusted from the
    /// first batch it verified; nil until it has seen one.
    public var signingKey: String?
}

extension Store {
    /// Local sync-state rows (never replicated): replicas retired here, and what others last
    /// published in a shared folder.
    static let retiredPeer = "replicas:retired", publishedPeer = "replicas:published"

    /// The replicas this store was told are gone.
    public func retiredReplicas() throws -> Set<ReplicaID> {
        Set(try checkpoint(peer: Store.retiredPeer).values.keys.compactMap(ReplicaID.init))
    }

    /// Says replica `id` is gone: compaction stops waiting for it. Not this store's own.
    public func retire(_ id: ReplicaID) throws {
        guard id != replicaID else { throw GlossError.wrongKind(id: id.rawValue, expected: "another replica than this store's own") }
        try saveCheckpoint(SyncCheckpoint(peer: Store.retiredPeer, values: [id.rawValue: String(environment.now())]))
    }

    /// Remembers what other replicas published (when, and what they held).
    public func recordPublishedVectors(_ published: [ReplicaID: (updated: UInt64, vector: VersionVector)]) throws {
        guard !published.isEmpty else { return }
        var values: [String: String] = [:]
        for (id, entry) in published {
            let vector = entry.vector.entries.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: ",")
            values[id.rawValue] = "\(entry.updated) \(vector)"
        }
        try saveCheckpoint(SyncCheckpoint(peer: Store.publishedPeer, values: values))
    }

    /// Every replica this store knows, itself first.
    public func replicaStatuses() throws -> [ReplicaStatus] {
        let retired = try retiredReplicas()
        let published = try checkpoint(peer: Store.publishedPeer).values
        let ours = try versionVector()
        let (latest, keys): ([String: UInt64], [String: String]) = try writer.read { db in
            var times: [String: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT r.id, max(c.hlc) FROM change c JOIN replica r ON r.idx = c.replica_idx GROUP BY c.replica_idx") {
                times[row[0]] = HLC(rawValue: UInt64(bitPattern: row[1] as Int64)).milliseconds
            }
            var keys: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, public_key FROM replica WHERE public_key IS NOT NULL") {
                keys[row[0]] = (row[1] as Data).base64EncodedString()
            }
            return (times, keys)
        }
        var known = try replicas()
        // Replicas seen only by what they published (they have written nothing yet).
        for key in published.keys.sorted() {
            if let id = ReplicaID(key), !known.contains(where: { $0.id == id }) {
                known.append(ReplicaInfo(id: id, name: nil, counter: 0, isLocal: false))
            }
        }
        return known.map { info in
            var status = ReplicaStatus(id: info.id, name: info.name, isLocal: info.isLocal, changes: info.counter,
                                       lastChange: latest[info.id.rawValue], lastSeen: nil, behind: nil,
                                       isRetired: retired.contains(info.id), signingKey: keys[info.id.rawValue])
            if let entry = published[info.id.rawValue] {
                let parts = entry.split(separator: " ", maxSplits: 1)
                status.lastSeen = parts.first.flatMap { UInt64($0) }
                var theirs = VersionVector()
                for pair in (parts.count > 1 ? parts[1] : "").split(separator: ",") {
                    let kv = pair.split(separator: "=")
                    if kv.count == 2, let id = ReplicaID(String(kv[0])), let n = UInt64(kv[1]) { theirs[id] = n }
                }
                status.behind = ours.entries.reduce(0) { $0 + ($1.value > theirs[$1.key] ? $1.value - theirs[$1.key] : 0) }
            }
            return status
        }.sorted { ($0.isLocal ? 0 : 1, $0.name ?? "") < ($1.isLocal ? 0 : 1, $1.name ?? "") }
    }
}
