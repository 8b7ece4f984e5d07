public import Foundation
public import GlossCore
import GlossCompression
import GlossExtraction

/// One original as it travels: what a store records of it (``OriginalRecord``), and, in a
/// shared folder, the file that holds it and the key that file is sealed under.
public struct OriginalEntry: Codable, Hashable, Sendable {
    /// The article whose text was extracted from it.
    public var article: String
    /// Hex SHA-256 of the original bytes.
    public var sha256: String
    /// Bytes before compression.
    public var size: Int
    /// What the bytes were read as (`SourceFormat`'s raw value).
    public var format: String
    public var source: String?
    public var charset: String?
    /// Milliseconds since 1970: when the page was first saved.
    public var savedAt: Int64
    /// A folder: the file in the writer's `originals/` folder that holds it.
    public var file: String?
    /// The id of the key the file is sealed under, when the library is encrypted.
    public var key: String?

    public init(_ record: OriginalRecord) {
        article = record.articleID
        sha256 = record.sha256
        size = record.size
        format = record.format.rawValue
        source = record.source
        charset = record.charset
        savedAt = record.savedAt
    }

    /// What a store records of it; nil for a format this version does not know.
    public var record: OriginalRecord? {
        guard let format = SourceFormat(rawValue: format) else { return nil }
        return OriginalRecord(articleID: article, sha256: sha256, size: size, format: format, source: source,
                              charset: charset, savedAt: savedAt)
    }

    /// Why no replica could have written this entry, or nil.
    var problem: String? {
        guard !article.isEmpty, article.utf8.count <= 200 else { return "an article id is empty or too long" }
        guard OriginalsFolder.isHash(sha256) else { return "a sha256 is not 64 lowercase hex digits" }
        guard (0...OriginalsLimits.maxExpandedBytes).contains(size) else { return "a size is past \(OriginalsLimits.maxExpandedBytes) bytes" }
        if let file, !OriginalPacking.isFileName(file) { return "a file name is not one gloss writes" }
        if let key, !PublishedKeys.isKeyID(key) { return "a key id is not 16 hex digits" }
        return nil
    }
}

/// How large originals and their lists may be as they travel: a reader refuses anything larger
/// by its size before reading it, so a hostile folder or server cannot make it read gigabytes.
public enum OriginalsLimits {
    /// The most one original may take compressed (and sealed): larger ones stay where they are.
    public static let maxCompressedBytes = 16 << 20
    /// The most one original may expand to.
    public static let maxExpandedBytes = 256 << 20
    /// The most a list of originals (a folder's `originals.json`, a server's answer) may take.
    public static let maxManifestBytes = 32 << 20
    /// The most entries one list may hold.
    public static let maxEntries = 200_000
    /// The most one HTTP message carrying an original may take: the original in base64, and its
    /// entry.
    public static let maxMessageBytes = maxCompressedBytes / 3 * 4 + (1 << 20)
}

/// The list of originals a replica offers (Schema/Originals.md): a folder's
/// `REPLICA/originals.json`, a server's `GET /v1/originals`. In an encrypted library the entries
/// (they name articles and the addresses pages came from) travel sealed under the library key, as
/// one box bound to the replica and the key id; only those two are in the clear.
public struct OriginalsManifest: Codable, Hashable, Sendable {
    public static let formatName = "gloss-originals"
    public static let fileName = "originals.json"

    public var format = OriginalsManifest.formatName
    public var version = 1
    /// The replica that wrote it.
    public var replica: String
    /// The entries, in the clear (a library that is not encrypted).
    public var originals: [OriginalEntry]?
    /// The id of the key `sealed` is sealed under.
    public var key: String?
    /// The entries' JSON, sealed (base64 of `Seal`'s box).
    public var sealed: String?

    /// The manifest of `entries` written by `replica`, sealed under the current key of `keys`
    /// when given.
    public init(replica: String, entries: [OriginalEntry], keys: Keyring?) throws {
        self.replica = replica
        guard let keys else {
            originals = entries
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(entries)
        let key = keys.sealing
        self.key = key.id
        sealed = try Seal.seal(json, under: key, binding: Self.associatedData(replica: replica, key: key.id)).base64EncodedString()
    }

    static func associatedData(replica: String, key: String) -> Data {
        Data("gloss originals v1 \(replica) \(key)".utf8)
    }

    /// The entries, opened with `keys` when sealed, each checked.
    /// - Throws: a sentence saying why they cannot be used: a manifest in the clear in an
    ///   encrypted library (whoever hosts a folder could write one), a sealed one without a key
    ///   or that does not open, an entry no replica could have written.
    public func entries(keys: Keyring?) throws(OriginalsProblem) -> [OriginalEntry] {
        guard format == Self.formatName, version == 1 else { throw OriginalsProblem("it is not gloss-originals version 1") }
        let entries: [OriginalEntry]
        if let sealed {
            guard let keys else { throw OriginalsProblem("it is sealed, and this replica holds no key of the library") }
            guard let id = key, let key = keys.key(id) else {
                throw OriginalsProblem("it is sealed under key \(key ?? "?"), which this replica does not hold")
            }
            guard sealed.utf8.count <= OriginalsLimits.maxManifestBytes, let box = Data(base64Encoded: sealed),
                  let json = Seal.open(box, under: key, binding: Self.associatedData(replica: replica, key: id)) else {
                throw OriginalsProblem("it does not open under the library key (damaged, or moved from another replica)")
            }
            guard (try? WireJSON.Reader.check(json)) != nil, let opened = try? JSONDecoder().decode([OriginalEntry].self, from: json) else {
                throw OriginalsProblem("its sealed list is not a list of originals")
            }
            entries = opened
        } else {
            guard keys == nil else { throw OriginalsProblem("it is in the clear, and this library is encrypted: it is not taken") }
            entries = originals ?? []
        }
        guard entries.count <= OriginalsLimits.maxEntries else { throw OriginalsProblem("it lists more than \(OriginalsLimits.maxEntries) originals") }
        if let problem = entries.lazy.compactMap(\.problem).first { throw OriginalsProblem(problem) }
        return entries
    }
}

/// Why a list of originals, or one original, is not taken: a sentence.
public struct OriginalsProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An original's bytes as they travel: compressed with zstd and, in an encrypted library, sealed
/// under the library key bound to the key id and the original's SHA-256, so a box cannot stand
/// for another original.
public enum OriginalPacking {
    /// `bytes` (whose hash is `sha256`) packed, and the id of the key they are sealed under.
    public static func pack(_ bytes: [UInt8], sha256: String, keys: Keyring?) throws -> (data: [UInt8], key: String?) {
        let compressed = try Codecs.zstdCompress(bytes)
        guard let keys else { return (compressed, nil) }
        let key = keys.sealing
        let box = try Seal.seal(compressed, under: key, binding: associatedData(key: key.id, sha256: sha256))
        return (Array(box), key.id)
    }

    /// The original `data` packs, which must be what `entry` says (its size and hash).
    /// - Throws: why not: sealed without a key held, not opening, not expanding, another size or
    ///   hash; or in the clear in an encrypted library.
    public static func unpack(_ data: [UInt8], key id: String?, entry: OriginalEntry, keys: Keyring?) throws(OriginalsProblem) -> [UInt8] {
        guard data.count <= OriginalsLimits.maxCompressedBytes else {
            throw OriginalsProblem("it is larger than \(OriginalsLimits.maxCompressedBytes) bytes")
        }
        var compressed = data
        if let id {
            guard let keys, let key = keys.key(id) else { throw OriginalsProblem("it is sealed under key \(id), which this replica does not hold") }
            guard let opened = Seal.open(data, under: key, binding: associatedData(key: id, sha256: entry.sha256)) else {
                throw OriginalsProblem("it does not open under the library key: it is damaged, or another original's")
            }
            compressed = Array(opened)
        } else if keys != nil {
            throw OriginalsProblem("it is in the clear, and this library is encrypted: it is not taken")
        }
        guard let bytes = try? Codecs.zstdExpand(compressed, limit: max(entry.size, 1)), bytes.count == entry.size else {
            throw OriginalsProblem("it does not expand to the \(entry.size) bytes it is listed with")
        }
        guard OriginalsFolder.hash(bytes) == entry.sha256 else {
            throw OriginalsProblem("its bytes do not have the SHA-256 it is named by")
        }
        return bytes
    }

    static func associatedData(key: String, sha256: String) -> Data {
        Data("gloss original v1 \(key) \(sha256)".utf8)
    }

    /// Whether `name` is a file name an originals folder holds: `<sha256>.zst` in the clear,
    /// `<sha256 of the file>.sealed` sealed.
    static func isFileName(_ name: String) -> Bool {
        if name.hasSuffix(".zst") { return OriginalsFolder.isHash(String(name.dropLast(4))) }
        if name.hasSuffix(".sealed") { return OriginalsFolder.isHash(String(name.dropLast(7))) }
        return false
    }
}
