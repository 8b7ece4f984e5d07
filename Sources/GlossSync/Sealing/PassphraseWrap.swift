public import Crypto
import CryptoExtras
public import Foundation

/// A library key sealed under a key derived from a passphrase with scrypt (RFC 7914, through
/// swift-crypto's CryptoExtras). The parameters travel with it, so a replica that joins with the
/// passphrase derives the same key whatever this machine chose.
///
/// Published beside the library's key ids (a folder's `keys.json`): it is ciphertext, and the
/// scrypt cost is what stands between a folder host and a guessed passphrase.
public struct PassphraseWrap: Hashable, Sendable, Codable {
    public var kdf = "scrypt"
    /// log2 of scrypt's N (cost).
    public var logN: Int
    public var r: Int
    public var p: Int
    /// 16 random bytes, base64.
    public var salt: String
    /// The id of the key wrapped.
    public var key: String
    /// The key's 32 bytes sealed under the derived key, base64 (`Seal`'s box).
    public var sealed: String

    /// What the derived key must not be mistaken for: the wrap's associated data.
    static func associatedData(key id: String) -> Data { Data("gloss passphrase wrap v1 \(id)".utf8) }

    /// The largest cost accepted from a published wrap, which anyone who can write a folder can
    /// publish: what `Cost.tuned` ever chooses (N = 2^20, r = 8, p = 1: 1 GiB and a few seconds),
    /// so a forged wrap cannot make a joining machine spend more.
    static let maxLogN = 20
    static let maxR = 8

    /// `key` wrapped under `passphrase` at the given cost.
    public static func wrap(_ key: LibraryKey, passphrase: String, cost: Cost) throws -> PassphraseWrap {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let derived = try derive(passphrase, salt: salt, cost: cost)
        let box = try key.withBytes { bytes in try Seal.seal(Data(bytes), under: derived, binding: associatedData(key: key.id)) }
        return PassphraseWrap(logN: cost.logN, r: cost.r, p: cost.p, salt: salt.base64EncodedString(),
                              key: key.id, sealed: box.base64EncodedString())
    }

    /// The key wrapped, or nil when `passphrase` is not the one it was wrapped under.
    /// - Throws: when the wrap itself is malformed (parameters out of range, not base64).
    public func unwrap(passphrase: String) throws -> LibraryKey? {
        guard kdf == "scrypt", (1...Self.maxLogN).contains(logN), (1...Self.maxR).contains(r), p == 1,
              let salt = Data(base64Encoded: salt), let box = Data(base64Encoded: sealed) else {
            throw Malformed()
        }
        let derived = try Self.derive(passphrase, salt: salt, cost: Cost(logN: logN, r: r, p: p))
        guard let bytes = Seal.open(box, under: derived, binding: Self.associatedData(key: key)),
              let unwrapped = LibraryKey(bytes: bytes), unwrapped.id == key else { return nil }
        return unwrapped
    }

    public struct Malformed: Error {}

    /// The wraps worth trying with a passphrase, at most `limit`: the one most replicas publish
    /// first (every replica that learned the real one republishes it as it is), so wraps forged
    /// under many made-up replicas cannot make a join try each at scrypt's cost.
    static func likeliestFirst(_ published: [PassphraseWrap], limit: Int = 3) -> [PassphraseWrap] {
        var counts: [PassphraseWrap: Int] = [:]
        for wrap in published { counts[wrap, default: 0] += 1 }
        return counts.sorted { ($0.value, $0.key.salt) > ($1.value, $1.key.salt) }.prefix(limit).map(\.key)
    }

    /// scrypt's parameters.
    public struct Cost: Hashable, Sendable {
        public var logN: Int
        public var r = 8
        public var p = 1

        public init(logN: Int, r: Int = 8, p: Int = 1) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// The cost that takes about `target` seconds on this machine: time N = 2^14, then
        /// scale (scrypt's time grows with N), between 2^15 and 2^20.
        public static func tuned(toTake target: Double = 0.5) throws -> Cost {
            let probe = Cost(logN: 14)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try derive("probe", salt: Data(count: 16), cost: probe)
            let seconds = max(1e-4, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let steps = Int((log2(target / seconds)).rounded())
            return Cost(logN: min(20, max(15, 14 + steps)))
        }
    }

    /// scrypt's 32-byte output as a library key (it seals a key; it is never one).
    static func derive(_ passphrase: String, salt: Data, cost: Cost) throws -> LibraryKey {
        let derived = try KDF.Scrypt.deriveKey(from: Data(passphrase.utf8), salt: salt, outputByteCount: 32,
                                               rounds: 1 << cost.logN, blockSize: cost.r, parallelism: cost.p)
        return derived.withUnsafeBytes { LibraryKey(bytes: $0)! }
    }
}
