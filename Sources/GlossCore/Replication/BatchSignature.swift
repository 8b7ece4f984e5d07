import Crypto
import Foundation

/// A replica's signature over a batch of its own changes: the counters `first` through the
/// change that carries it, hashed in order and signed with the replica's Ed25519 key.
///
/// A replica signs what it wrote in batches of at most ``maxLength`` changes (when it first sends
/// them, not as it writes: a write pays nothing), and the signature travels on the batch's last
/// change (`g` on the wire). A receiver checks it before taking any change of the batch, so a
/// change in replica A's name that A did not write is refused wherever it comes from (a token
/// holder, a shared folder's writer, a fake server). The public key travels with every batch; a
/// store keeps the first key it verified for each replica (trust on first use) and refuses
/// batches signed by any other.
public struct BatchSignature: Hashable, Sendable {
    /// The most changes one signature covers. A receiver refuses a longer batch unread: checking
    /// one costs reading all of its changes.
    public static let maxLength: UInt64 = 1_000

    /// The counter of the batch's first change.
    public var first: UInt64
    /// The writer's Ed25519 public key, 32 bytes.
    public var key: [UInt8]
    /// The Ed25519 signature over ``message(replica:first:last:changes:)``, 64 bytes.
    public var signature: [UInt8]

    public init(first: UInt64, key: [UInt8], signature: [UInt8]) {
        self.first = first
        self.key = key
        self.signature = signature
    }

    /// True when the key and signature have the lengths Ed25519's take.
    public var isWellFormed: Bool { key.count == 32 && signature.count == 64 }

    /// What is signed for `changes`, the batch of `replica`'s counters `first...last` in order: a
    /// SHA-256 over a domain label, the replica, the two counters, and each change's canonical
    /// binary form (``BinaryCoding/canonical(_:)``), length-prefixed. Signatures are not part of it.
    public static func message(replica: ReplicaID, first: UInt64, last: UInt64, changes: some Sequence<Change>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("gloss-batch-v1".utf8))
        hasher.update(data: Array(replica.rawValue.utf8))
        hasher.update(data: bigEndian(first))
        hasher.update(data: bigEndian(last))
        for change in changes {
            let bytes = BinaryCoding.canonical(change)
            hasher.update(data: bigEndian(UInt64(bytes.count)))
            hasher.update(data: bytes)
        }
        return Array(hasher.finalize())
    }

    /// Signs `changes`, `replica`'s counters `first...last` in order, with `key`.
    static func sign(replica: ReplicaID, first: UInt64, last: UInt64, changes: some Sequence<Change>,
                            with key: Curve25519.Signing.PrivateKey) throws -> BatchSignature {
        let message = message(replica: replica, first: first, last: last, changes: changes)
        return BatchSignature(first: first, key: Array(key.publicKey.rawRepresentation),
                              signature: Array(try key.signature(for: message)))
    }

    /// True when this signature, carried by `replica`'s change `last`, signs `changes` (the
    /// counters `first...last` in order) under its own key.
    public func verifies(replica: ReplicaID, last: UInt64, changes: some Sequence<Change>) -> Bool {
        guard isWellFormed, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else { return false }
        return publicKey.isValidSignature(signature, for: Self.message(replica: replica, first: first, last: last, changes: changes))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

extension BatchSignature: CustomStringConvertible {
    /// The first counter and the key's first bytes, never the signature's.
    public var description: String {
        "batch from \(first), key \(key.prefix(4).map { String(format: "%02x", $0) }.joined())…"
    }
}

extension BatchSignature: Codable {
    enum CodingKeys: String, CodingKey { case first = "a", key = "k", signature = "s" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        first = try c.decode(UInt64.self, forKey: .first)
        guard let key = Data(base64Encoded: try c.decode(String.self, forKey: .key)),
              let signature = Data(base64Encoded: try c.decode(String.self, forKey: .signature)) else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: c, debugDescription: "a batch signature's key or signature is not base64")
        }
        self.key = Array(key)
        self.signature = Array(signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(first, forKey: .first)
        try c.encode(Data(key).base64EncodedString(), forKey: .key)
        try c.encode(Data(signature).base64EncodedString(), forKey: .signature)
    }
}
