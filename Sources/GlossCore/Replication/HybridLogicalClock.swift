/// A hybrid logical clock timestamp: wall-clock milliseconds in the high 48 bits and a logical
/// counter in the low 16. Orders display and breaks ties deterministically; never used for
/// causality (version vectors do that).
public struct HLC: Hashable, Comparable, Sendable, Codable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
    init(milliseconds: UInt64, logical: UInt64) { rawValue = milliseconds << 16 | (logical & 0xffff) }

    public var milliseconds: UInt64 { rawValue >> 16 }
    var logical: UInt64 { rawValue & 0xffff }

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The timestamp for a local event at wall time `now` (ms), after `self`.
    func tick(now: UInt64) -> HLC {
        if now > milliseconds { return HLC(milliseconds: now, logical: 0) }
        if logical < 0xffff { return HLC(milliseconds: milliseconds, logical: logical + 1) }
        return HLC(milliseconds: milliseconds + 1, logical: 0)
    }

    /// The clock after receiving a remote event stamped `remote`: never behind anything seen.
    func receiving(_ remote: HLC) -> HLC { Swift.max(self, remote) }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
