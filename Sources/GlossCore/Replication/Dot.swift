/// One event: the `counter`-th change written by `replica`.
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var replica: ReplicaID
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    /// The largest counter a change may carry: 2^63 - 1. A store keeps counters as SQLite's
    /// signed 64-bit integers, so a larger one, which no replica reaches by counting, is refused
    /// wherever it arrives from outside (a change, a version vector, a bundle's ranges).
    public static let maxCounter = UInt64(Int64.max)

    public var description: String { "\(replica.short):\(counter)" }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.counter) < (rhs.replica, rhs.counter)
    }

    enum CodingKeys: String, CodingKey { case replica = "r", counter = "n" }
}
