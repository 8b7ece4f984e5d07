public import GlossCore

/// A batch of changes as it travels between replicas: versioned JSON (described by
/// `Schema/bundle.schema.json`), compressed (zstd, or gzip as earlier versions wrote it), named
/// by its SHA-256.
public struct ChangeBundle: Hashable, Sendable, Codable {
    public static let formatName = "gloss-bundle"
    public static let currentVersion = 1

    public var format = ChangeBundle.formatName
    public var version = ChangeBundle.currentVersion
    /// The replica that wrote the bundle.
    public var replica: ReplicaID
    /// Milliseconds since 1970 when it was written.
    public var created: UInt64
    /// Names of the replicas whose changes it carries, for conflict listings.
    public var names: [String: String]
    /// Per replica, the counter ranges of the changes inside: what the bundle covers without
    /// reading its changes.
    public var covers: [String: [[UInt64]]]
    /// In the writer's causal order.
    public var changes: [Change]

    public init(replica: ReplicaID, created: UInt64, names: [ReplicaID: String], changes: [Change]) {
        self.replica = replica
        self.created = created
        self.changes = changes
        self.names = Dictionary(uniqueKeysWithValues: names.map { ($0.key.rawValue, $0.value) })
        self.covers = DotRanges(changes.map(\.dot)).encoded
    }
}

/// Sets of dots as sorted, merged counter ranges per replica.
public struct DotRanges: Hashable, Sendable {
    public private(set) var ranges: [ReplicaID: [ClosedRange<UInt64>]] = [:]

    public init() {}

    public init(_ dots: [Dot]) {
        for (replica, group) in Dictionary(grouping: dots, by: \.replica) {
            for counter in group.map(\.counter).sorted() { insert(replica, counter...counter) }
        }
    }

    /// Every dot `vector` covers: counters 1 through its entry, per replica.
    public init(covering vector: VersionVector) {
        for (replica, counter) in vector.entries where counter > 0 { insert(replica, 1...counter) }
    }

    /// True when `vector` covers every dot in the ranges.
    public func isCovered(by vector: VersionVector) -> Bool {
        ranges.allSatisfy { replica, list in list.allSatisfy { $0.upperBound <= vector[replica] } }
    }

    /// How many dots the ranges hold.
    public var count: UInt64 { ranges.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.upperBound - $1.lowerBound + 1 } } }

    public init?(encoded: [String: [[UInt64]]]) {
        for (key, pairs) in encoded {
            guard let replica = ReplicaID(key) else { return nil }
            for pair in pairs {
                guard pair.count == 2, pair[0] >= 1, pair[0] <= pair[1] else { return nil }
                insert(replica, pair[0]...pair[1])
            }
        }
    }

    public var encoded: [String: [[UInt64]]] {
        Dictionary(uniqueKeysWithValues: ranges.map { ($0.key.rawValue, $0.value.map { [$0.lowerBound, $0.upperBound] }) })
    }

    public mutating func insert(_ replica: ReplicaID, _ range: ClosedRange<UInt64>) {
        var merged = range
        var kept: [ClosedRange<UInt64>] = []
        for existing in ranges[replica] ?? [] {
            if existing.upperBound + 1 < merged.lowerBound || merged.upperBound + 1 < existing.lowerBound {
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)...max(existing.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        ranges[replica] = kept.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// True when `dot` is in one of the ranges.
    public func contains(_ dot: Dot) -> Bool {
        ranges[dot.replica]?.contains { $0.contains(dot.counter) } ?? false
    }

    public mutating func formUnion(_ other: DotRanges) {
        for (replica, list) in other.ranges { for range in list { insert(replica, range) } }
    }

    /// Per replica, the highest counter reached from 1 with no gap.
    public var contiguous: VersionVector {
        var vector = VersionVector()
        for (replica, list) in ranges {
            if let first = list.first, first.lowerBound == 1 { vector[replica] = first.upperBound }
        }
        return vector
    }
}
