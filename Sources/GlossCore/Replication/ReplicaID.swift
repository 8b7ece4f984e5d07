import Crypto
/// A replica's identity: 128 random bits, written as 32 lowercase hex digits.
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly 32 hex digits (case-insensitive); returns nil otherwise.
    public init?(_ string: String) {
        let lower = string.lowercased()
        guard lower.utf8.count == 32, lower.utf8.allSatisfy(\.isHexDigit) else { return nil }
        rawValue = lower
    }

    /// A fresh identity from 16 random bytes.
    /// For 32 lowercase hex digits the caller vouches for.
    init(validated rawValue: String) { self.rawValue = rawValue }

    init(randomBytes bytes: [UInt8]) {
        precondition(bytes.count == 16)
        rawValue = Hex.encode(bytes)
    }

    /// The first byte of an id made from its replica's signing key (`a7` as hex).
    static let keyDerivedMarker: UInt8 = 0xa7

    /// The id of the replica that signs with the Ed25519 public key `publicKey`: the first 16
    /// bytes of its SHA-256, the first of them replaced by ``keyDerivedMarker``. Every replica
    /// made since replicas sign gets its id this way, so its id names its key: a batch signed
    /// under any other key is refused for it everywhere, with no first use to trust.
    public init(signingKey publicKey: [UInt8]) {
        var bytes = Array(SHA256.hash(data: publicKey).prefix(16))
        bytes[0] = Self.keyDerivedMarker
        rawValue = Hex.encode(bytes)
    }

    /// True when the id says it is made from its signing key (see ``init(signingKey:)``). An id
    /// made before replicas signed is random, and 1 in 256 of those start with the marker too:
    /// such a store takes a fresh id when it first opens (its key could not match).
    public var isKeyDerived: Bool { rawValue.hasPrefix("a7") }

    public var description: String { rawValue }
    /// The first 8 digits, enough to tell replicas apart on screen.
    public var short: String { String(rawValue.prefix(8)) }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let id = ReplicaID(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a replica id: \(string)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}

/// Lowercase hexadecimal encoding.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0f))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The ASCII digit of a nibble (0 to 15).
    static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
