public import Crypto
public import Foundation

/// A library's 256-bit key, and the id that names it in what is published (a bundle's envelope,
/// a rotation record) without revealing it.
///
/// The key's bytes never print: `description`, `debugDescription` and reflection show only the
/// id, so a key caught in a log line, an error or `--json` output leaks nothing.
public struct LibraryKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What a key id is derived with: HMAC-SHA256 of this label under the key.
    static let idLabel = Data("gloss library key id v1".utf8)

    /// 16 hex digits: the first 8 bytes of HMAC-SHA256(key, "gloss library key id v1").
    public let id: String
    let key: SymmetricKey

    /// The key of `bytes`, which must be 32.
    public init?(bytes: some ContiguousBytes) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == 256 else { return nil }
        self.key = key
        id = Self.id(of: key)
    }

    /// A fresh random key.
    public static func generate() -> LibraryKey {
        LibraryKey(key: SymmetricKey(size: .bits256))
    }

    private init(key: SymmetricKey) {
        self.key = key
        id = Self.id(of: key)
    }

    static func id(of key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: idLabel, using: key)
        return Hex.string(Data(mac).prefix(8))
    }

    /// The key's bytes, for sealing under another key or writing to the owner's key file.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try key.withUnsafeBytes(body)
    }

    /// Compares in constant time: true when both hold the same bytes.
    public func sameKey(as other: LibraryKey) -> Bool {
        key.withUnsafeBytes { mine in
            other.key.withUnsafeBytes { theirs in
                guard mine.count == theirs.count else { return false }
                var difference: UInt8 = 0
                for index in 0..<mine.count { difference |= mine[index] ^ theirs[index] }
                return difference == 0
            }
        }
    }

    public var description: String { "library key \(id)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}

/// Lowercase hex.
enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an even-length hex string; nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
