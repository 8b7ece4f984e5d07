/// One event: the `counter`-th change written by `replica`.
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var replica: ReplicaID
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public var description: String { "\(replica.short):\(counter)" }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.counter) < (rhs.replica, rhs.counter)
    }

    enum CodingKeys: String, CodingKey { case replica = "r", counter = "n" }
}
