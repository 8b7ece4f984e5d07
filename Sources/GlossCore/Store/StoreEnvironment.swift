import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// What a store takes from the world: the time, randomness, the machine's name and what makes a
/// file itself. Injected so tests replay exactly.
public struct StoreEnvironment: Sendable {
    /// Wall-clock milliseconds since 1970.
    public var now: @Sendable () -> UInt64
    /// `count` random bytes (replica ids, annotation UUIDs).
    public var randomBytes: @Sendable (Int) -> [UInt8]
    /// What makes a database file this file and no copy of it: the machine, the file system and
    /// the file's inode. Nil when it cannot be told.
    public var fileIdentity: @Sendable (String) -> String?
    /// This machine's name, the first part of a new replica's default name.
    public var hostName: @Sendable () -> String

    public init(now: @escaping @Sendable () -> UInt64, randomBytes: @escaping @Sendable (Int) -> [UInt8],
                fileIdentity: @escaping @Sendable (String) -> String? = StoreEnvironment.diskIdentity,
                hostName: @escaping @Sendable () -> String = StoreEnvironment.systemHostName) {
        self.now = now
        self.randomBytes = randomBytes
        self.fileIdentity = fileIdentity
        self.hostName = hostName
    }

    /// The system's host name up to its first dot ("vm" for "vm.example.com"), else "replica".
    public static let systemHostName: @Sendable () -> String = {
        ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "replica"
    }

    /// Machine id, device and inode of the file at `path`.
    public static let diskIdentity: @Sendable (String) -> String? = { path in
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let inode = attributes[.systemFileNumber], let device = attributes[.systemNumber] else { return nil }
        let machine = (try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown-machine"
        return "\(machine):\(device):\(inode)"
    }

    /// The real clock and the system's random generator.
    public static let live = StoreEnvironment(
        now: { UInt64(Date().timeIntervalSince1970 * 1000) },
        randomBytes: { count in SystemRandomPool.shared.take(count) })

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

/// Random bytes for ids, from the system's generator 256 at a time (getentropy(3): one system
/// call, and its most): recording a highlight needs 10 for its UUID, and asking the system for
/// each had been two calls per highlight. Bytes handed out are never handed out again. Requests
/// over 16 bytes, such as a token's 32 secret bytes, do not stay in the pool: they are drawn
/// for themselves.
final class SystemRandomPool: Sendable {
    static let shared = SystemRandomPool()
    static let drawSize = 256, largestPooled = 16
    private let state = Mutex<(bytes: [UInt8], next: Int)>(([], 0))

    func take(_ count: Int) -> [UInt8] {
        guard count <= Self.largestPooled else { return Self.draw(count) }
        return state.withLock { pool in
            if pool.bytes.count - pool.next < count {
                pool = (Self.draw(Self.drawSize), 0)
            }
            defer { pool.next += count }
            return Array(pool.bytes[pool.next..<pool.next + count])
        }
    }

    /// `count` bytes from getentropy(3), 256 a call.
    static func draw(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < count {
                let size = min(drawSize, count - offset)
                // It fails only for a size over 256 or a bad address, neither of which this asks.
                guard getentropy(buffer.baseAddress! + offset, size) == 0 else {
                    preconditionFailure("getentropy failed: \(String(cString: strerror(errno)))")
                }
                offset += size
            }
        }
        return bytes
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
