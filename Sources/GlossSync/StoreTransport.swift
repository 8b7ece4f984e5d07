public import GlossCore

/// A peer that is another store in this process: the in-memory transport tests and the demo use.
public struct StoreTransport: Transport {
    public let peer: Store

    public init(_ peer: Store) { self.peer = peer }

    public func versionVector() async throws -> VersionVector { try peer.versionVector() }

    public func changes(since vector: VersionVector) async throws -> [Change] { try peer.changes(since: vector) }

    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> ApplyReport {
        let report = try peer.apply(changes)
        try peer.learnReplicaNames(names)
        return report
    }

    public func replicaNames() async throws -> [ReplicaID: String] {
        try peer.replicaNames()
    }
}
