public import GlossCore

/// A peer that is another store in this process: the in-memory transport tests and the demo use.
public struct StoreTransport: Transport {
    public let store: Store
    /// Changes per pulled page.
    let pageSize: Int

    public init(_ store: Store, pageSize: Int = 5_000) {
        self.store = store
        self.pageSize = max(1, pageSize)
    }

    public var peer: String { "store:" + store.path }

    public func versionVector(remembered: [String: String]) async throws -> VersionVector { try store.versionVector() }

    public func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        let page = try store.changePage(since: vector, after: cursor.position, limit: pageSize)
        return PulledPage(changes: page.changes, next: page.more ? PullCursor(position: page.next) : nil)
    }

    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt {
        let report = try store.apply(changes)
        try store.learnReplicaNames(names)
        return PushReceipt(report)
    }

    public func replicaNames() async throws -> [ReplicaID: String] { try store.replicaNames() }

    public func warnings() async -> [SyncError] { [] }
}
