/// One value alive in a register, with the event that wrote it and what that write had seen.
public struct RegisterValue: Hashable, Sendable, Codable {
    public var value: FieldValue
    public var dot: Dot
    public var hlc: HLC
    public var context: VersionVector

    enum CodingKeys: String, CodingKey { case value = "v", dot = "d", hlc = "t", context = "c" }

    init(value: FieldValue, dot: Dot, hlc: HLC, context: VersionVector) {
        self.value = value
        self.dot = dot
        self.hlc = hlc
        self.context = context
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decode(TaggedValue.self, forKey: .value).value
        dot = try c.decode(Dot.self, forKey: .dot)
        hlc = try c.decode(HLC.self, forKey: .hlc)
        context = try c.decodeIfPresent(VersionVector.self, forKey: .context) ?? VersionVector()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(TaggedValue(value), forKey: .value)
        try c.encode(dot, forKey: .dot)
        try c.encode(hlc, forKey: .hlc)
        if !context.isEmpty { try c.encode(context, forKey: .context) }
    }
}

/// A multi-value register with a vector-clock context (DESIGN.md, "Replication model").
///
/// A write removes the values its context covers and adds its own; a value no write has covered
/// stays alive beside the others as a sibling. The state after a set of writes does not depend on
/// the order they arrived in, nor on duplicates: `values` is exactly the writes whose dot no
/// received context covers, and `overwritten` the union of all received contexts.
public struct Register: Hashable, Sendable, Codable {
    public private(set) var values: [RegisterValue] = []
    /// Union of the contexts of every write received: every dot at or below it is overwritten.
    public private(set) var overwritten = VersionVector()

    enum CodingKeys: String, CodingKey { case values = "v", overwritten = "k" }

    public init() {}

    /// A register as stored (``BinaryCoding``).
    init(values: [RegisterValue], overwritten: VersionVector) {
        self.values = values
        self.overwritten = overwritten
    }

    /// Merges one write. Returns false when it changed nothing (a duplicate, or already overwritten).
    ///
    /// A write that arrives already overwritten still contributes its context: it may cover an
    /// older value that reached this replica after the write that overwrote it.
    @discardableResult
    mutating func apply(_ op: FieldOp, dot: Dot, hlc: HLC) -> Bool {
        var changed = false
        // No value held is covered by `overwritten` (none is added covered, and each widening
        // removes what it covers), so an empty context can neither widen it nor remove anything.
        if !op.context.isEmpty {
            let widened = overwritten.union(op.context)
            if widened != overwritten {
                overwritten = widened
                values.removeAll { overwritten.covers($0.dot) }
                changed = true
            }
        }
        if let value = op.value, !overwritten.covers(dot), !values.contains(where: { $0.dot == dot }) {
            values.append(RegisterValue(value: value, dot: dot, hlc: hlc, context: op.context))
            if values.count > 1 { values.sort { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) } }
            changed = true
        }
        return changed
    }

    /// The context a new local write must carry to overwrite every value alive now.
    public var aliveContext: VersionVector {
        var context = VersionVector()
        for value in values { context.include(value.dot) }
        return context
    }

    /// The value every replica shows while siblings last: the latest by (HLC, dot).
    public var latest: RegisterValue? { values.last }

    /// The alive values with duplicates of equal value removed, in write order.
    public var distinctValues: [FieldValue] {
        var seen = Set<FieldValue>()
        return values.map(\.value).filter { seen.insert($0).inserted }
    }

    /// Siblings with different values: a conflict (equal concurrent values are not).
    public var hasDistinctSiblings: Bool {
        guard let first = values.first else { return false }
        return values.dropFirst().contains { $0.value != first.value }
    }
}
