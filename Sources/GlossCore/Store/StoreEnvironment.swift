import Foundation
import Synchronization

/// What a store takes from the world: the time and randomness. Injected so tests replay exactly.
public struct StoreEnvironment: Sendable {
    /// Wall-clock milliseconds since 1970.
    public var now: @Sendable () -> UInt64
    /// `count` random bytes (replica ids, annotation UUIDs).
    public var randomBytes: @Sendable (Int) -> [UInt8]

    public init(now: @escaping @Sendable () -> UInt64, randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.now = now
        self.randomBytes = randomBytes
    }

    /// The real clock and the system's random generator.
    public static let live = StoreEnvironment(
        now: { UInt64(Date().timeIntervalSince1970 * 1000) },
        randomBytes: { count in
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        })

    /// A deterministic environment: a clock that advances `step` ms per reading from `start`, and
    /// random bytes from a SplitMix64 generator seeded with `seed`.
    public static func seeded(_ seed: UInt64, start: UInt64 = 1_700_000_000_000, step: UInt64 = 1) -> StoreEnvironment {
        let clock = Mutex(start)
        let generator = Mutex(SplitMix64(seed: seed))
        return StoreEnvironment(
            now: { clock.withLock { time in time += step; return time } },
            randomBytes: { count in
                generator.withLock { g in (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) } }
            })
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood, 2014) so any failure replays from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
