public import Crypto
public import Foundation

/// A library key as a person writes it down: 56 characters of Crockford's base32 in fourteen
/// groups of four, `XXXX-XXXX-…`, carrying the 32-byte key and a 3-byte checksum.
///
/// Reading is forgiving where it is safe (any case, spaces or dashes anywhere, O read as 0, I and
/// L as 1) and exact where it matters: a wrong character, a missing one, or a mistyped group is
/// caught by the checksum and named. A single mistyped character is located by trying each
/// position: when exactly one change makes the checksum agree, its group is named (the key is
/// not corrected, since the person should check what they wrote).
public enum RecoveryKey {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let characters = 56
    static let groupSize = 4
    static let checksumBytes = 3
    static let checksumLabel = Data("gloss recovery key v1".utf8)

    /// Why a recovery key was refused, said so a person can correct it.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badCharacter(Character, group: Int)
        case wrongLength(Int)
        case mistypedGroup(Int, String)
        case checksumMismatch

        public var description: String {
            switch self {
            case .badCharacter(let character, let group):
                "the recovery key has '\(character)' in group \(group), which is not one of its characters (digits and letters other than I, L, O and U)"
            case .wrongLength(let count):
                "the recovery key has \(count) character\(count == 1 ? "" : "s") besides dashes and spaces; a recovery key has \(RecoveryKey.characters) (fourteen groups of four)"
            case .mistypedGroup(let group, let text):
                "the recovery key does not check out: group \(group) ('\(text)') looks mistyped. Compare it with what you wrote down"
            case .checksumMismatch:
                "the recovery key does not check out: a character is mistyped or two are swapped. Compare each group with what you wrote down"
            }
        }
    }

    /// The key written as fourteen groups of four characters.
    public static func text(of key: LibraryKey) -> String {
        var bytes = key.withBytes { Array($0) }
        bytes += checksum(bytes)
        let symbols = encode(bytes)
        return stride(from: 0, to: symbols.count, by: groupSize).map { start in
            String(decoding: symbols[start..<min(start + groupSize, symbols.count)], as: UTF8.self)
        }.joined(separator: "-")
    }

    /// The key `text` writes.
    /// - Throws: ``Problem``, naming what is wrong.
    public static func key(from text: String) throws(Problem) -> LibraryKey {
        var symbols: [UInt8] = []
        for character in text where !character.isWhitespace && character != "-" {
            let group = symbols.count / groupSize + 1
            guard let ascii = character.asciiValue, let value = symbolValue(ascii) else {
                throw .badCharacter(character, group: group)
            }
            symbols.append(value)
        }
        guard symbols.count == characters else { throw .wrongLength(symbols.count) }
        if let key = decode(symbols) { return key }
        // One character mistyped: find the groups where a single change would check out.
        var groups = Set<Int>()
        for position in 0..<symbols.count {
            var trial = symbols
            for value in 0..<UInt8(32) where value != symbols[position] {
                trial[position] = value
                if decode(trial) != nil { groups.insert(position / groupSize) }
            }
        }
        if groups.count == 1, let group = groups.first {
            let start = group * groupSize
            let written = String(decoding: symbols[start..<start + groupSize].map { alphabet[Int($0)] }, as: UTF8.self)
            throw .mistypedGroup(group + 1, written)
        }
        throw .checksumMismatch
    }

    /// The key the 5-bit `symbols` carry when their checksum agrees.
    private static func decode(_ symbols: [UInt8]) -> LibraryKey? {
        let bytes = unpack(symbols)
        guard bytes.count == 32 + checksumBytes else { return nil }
        let keyBytes = Array(bytes.prefix(32))
        let expected = checksum(keyBytes)
        // Constant time is not needed for a checksum, but costs nothing.
        var difference: UInt8 = 0
        for (a, b) in zip(expected, bytes.suffix(checksumBytes)) { difference |= a ^ b }
        guard difference == 0 else { return nil }
        return LibraryKey(bytes: keyBytes)
    }

    static func checksum(_ key: [UInt8]) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: checksumLabel)
        hash.update(data: key)
        return Array(hash.finalize().prefix(checksumBytes))
    }

    private static func symbolValue(_ ascii: UInt8) -> UInt8? {
        var upper = ascii
        if (0x61...0x7a).contains(upper) { upper -= 0x20 }
        switch upper {
        case UInt8(ascii: "O"): return 0
        case UInt8(ascii: "I"), UInt8(ascii: "L"): return 1
        default: return alphabet.firstIndex(of: upper).map(UInt8.init)
        }
    }

    /// Bytes as 5-bit symbols (letters), most significant bits first.
    private static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int(buffer >> UInt32(bits) & 31)])
            }
        }
        if bits > 0 { out.append(alphabet[Int(buffer << UInt32(5 - bits) & 31)]) }
        return out
    }

    /// 5-bit symbol values back to whole bytes; leftover bits must be zero.
    private static func unpack(_ symbols: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            buffer = buffer << 5 | UInt32(symbol)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(buffer >> UInt32(bits) & 0xff))
            }
        }
        if bits > 0, buffer & ((1 << UInt32(bits)) - 1) != 0 { return [] }
        return out
    }
}
