import Synchronization

/// How a storage's database connections are used at one moment, for `GET /metrics`.
public struct ConnectionUse: Sendable, Equatable {
    /// Storage calls holding a connection or waiting for one.
    public var busy: Int
    /// The most connections the storage holds at once.
    public var capacity: Int

    /// Connections in use.
    public var inUse: Int { min(busy, capacity) }
    /// Calls waiting for a connection: every one is taken.
    public var waiting: Int { max(0, busy - capacity) }
}

/// Counts a storage's calls in flight: each holds one database connection, or waits for one
/// once `capacity` are held.
final class ConnectionGauge: Sendable {
    private let busy = Atomic<Int>(0)
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var use: ConnectionUse { ConnectionUse(busy: busy.load(ordering: .relaxed), capacity: capacity) }

    /// `work`, counted while it runs.
    func measure<T>(_ work: () async throws -> T) async rethrows -> T {
        busy.add(1, ordering: .relaxed)
        defer { busy.subtract(1, ordering: .relaxed) }
        return try await work()
    }
}
