/// A hybrid logical clock timestamp: wall-clock milliseconds in the high 48 bits and a logical
/// counter in the low 16. Orders display and breaks ties deterministically; never used for
/// causality (version vectors do that).
///
/// A clock is only as good as the stamps it receives: one stamp far in the future would pull
/// every replica's clock there. So a store refuses a change stamped more than ``maxLead`` (one
/// day) ahead of its own wall clock (see `Store.validate(_:now:)`), and a clock that reaches the
/// largest time it can hold stays there rather than wrapping to 1970.
public struct HLC: Hashable, Comparable, Sendable, Codable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
    init(milliseconds: UInt64, logical: UInt64) { rawValue = milliseconds << 16 | (logical & 0xffff) }

    /// How far ahead of this machine's wall clock a received stamp may be: one day.
    public static let maxLead: UInt64 = 86_400_000
    /// The largest time the high 48 bits hold (in the year 10889).
    static let maxMilliseconds: UInt64 = (1 << 48) - 1

    public var milliseconds: UInt64 { rawValue >> 16 }

    /// True when this stamp is more than ``maxLead`` ahead of the wall time `now` (ms).
    public func isAhead(of now: UInt64) -> Bool {
        let (limit, overflow) = now.addingReportingOverflow(Self.maxLead)
        return !overflow && milliseconds > limit
    }
    var logical: UInt64 { rawValue & 0xffff }

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The timestamp for a local event at wall time `now` (ms), after `self`; at the largest
    /// time the clock holds, the same stamp again (it saturates, never wraps).
    func tick(now: UInt64) -> HLC {
        if now > milliseconds, now <= Self.maxMilliseconds { return HLC(milliseconds: now, logical: 0) }
        if logical < 0xffff { return HLC(milliseconds: milliseconds, logical: logical + 1) }
        if milliseconds < Self.maxMilliseconds { return HLC(milliseconds: milliseconds + 1, logical: 0) }
        return self
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
