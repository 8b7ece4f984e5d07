public import GlossCore
import Synchronization

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
    /// Hands what `vector` lacks to `apply`, a batch at a time, each with the checkpoint to record
    /// with it. A transport that pages calls `apply` once per page, so an interrupted pull keeps
    /// what was applied and the next one asks only for the rest.
    func pull(since vector: VersionVector, into apply: @Sendable ([Change], SyncCheckpoint?) async throws -> Void) async throws
    /// Problems the transport stepped around (a skipped file), to show the person.
    func warnings() async -> [String]
}

extension Transport {
    public func pendingCheckpoint() async -> SyncCheckpoint? { nil }

    public func pull(since vector: VersionVector, into apply: @Sendable ([Change], SyncCheckpoint?) async throws -> Void) async throws {
        try await apply(try await changes(since: vector), await pendingCheckpoint())
    }
    public func warnings() async -> [String] { [] }
}

/// Pages of changes gathered from a pull, for `changes(since:)`.
final class Collected: Sendable {
    private let pages = Mutex<[Change]>([])
    func append(_ changes: [Change]) { pages.withLock { $0 += changes } }
    var all: [Change] { pages.withLock { $0 } }
}
