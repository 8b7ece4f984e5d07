public import GlossCore

/// Where a sync session sends and fetches changes: a shared folder, an HTTP server, or another
/// store in the same process. Implementations move bytes; the session decides what to move.
public protocol Transport: Sendable {
    /// The peer's version vector: what it already holds.
    func versionVector() async throws -> VersionVector
    /// The changes the peer holds that `vector` does not cover, in the peer's causal order.
    func changes(since vector: VersionVector) async throws -> [Change]
    /// Hands `changes` to the peer, which applies them atomically and idempotently.
    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> ApplyReport
    /// Names of the replicas the peer knows, for conflict listings.
    func replicaNames() async throws -> [ReplicaID: String]
    /// What to record, in the same transaction as the pulled changes, once they are applied.
    func pendingCheckpoint() async -> SyncCheckpoint?
    /// Problems the transport stepped around (a skipped file), to show the person.
    func warnings() async -> [String]
}

extension Transport {
    public func pendingCheckpoint() async -> SyncCheckpoint? { nil }
    public func warnings() async -> [String] { [] }
}
