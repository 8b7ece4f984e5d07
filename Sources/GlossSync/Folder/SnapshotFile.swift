public import Foundation
public import GlossCore
import Crypto
import GlossCompression
#if canImport(Glibc)
import Glibc
#endif

/// What a snapshot file says of itself, in its first line after the magic (Schema/Snapshot.md).
public struct SnapshotHeader: Hashable, Sendable, Codable {
    /// The file format's version: 1.
    public var format: Int
    /// The replica that wrote it (not an identity the reader takes: a joiner keeps its own).
    public var writer: ReplicaID
    /// Every change it holds, per replica.
    public var versionVector: VersionVector
    /// Milliseconds since 1970.
    public var created: UInt64
    /// The last schema migration of the database inside.
    public var schema: String
    /// The database's size once expanded.
    public var expandedBytes: Int
    /// SHA-256 (hex) of the compressed database that follows the header.
    public var sha256: String
    /// The folder's bundles whose every change the snapshot holds, as a folder checkpoint
    /// records them (file key → the dots it covers): a joiner need not read them.
    public var bundles: [String: String]
}

/// A snapshot in a shared folder: `DIR/<replica>/snapshot-<created>.glsnap`, written by its
/// replica only, atomically. The file is the magic line `GLOSS-SNAPSHOT`, the header as one line
/// of JSON, then the store's database (`Store.writeSnapshot`) compressed with zstd.
public enum SnapshotFile {
    public static let fileExtension = "glsnap"
    public static let format = 1
    static let magic = Array("GLOSS-SNAPSHOT\n".utf8)
    /// A header is a few kilobytes, plus about 150 bytes per bundle it lists.
    static let maxHeaderBytes = 16 << 20
    /// The largest database a snapshot may expand to.
    static let maxExpandedBytes = 16 << 30

    /// The file name of a snapshot written at `created`.
    static func name(created: UInt64) -> String {
        "snapshot-" + String(format: "%013llu", created) + "." + fileExtension
    }

    /// The file for the database at `databasePath` (a snapshot `Store.writeSnapshot` wrote).
    static func encode(databaseAt databasePath: String, info: SnapshotInfo, bundles: [String: String]) throws -> Data {
        let database = try Data(contentsOf: URL(fileURLWithPath: databasePath))
        let body = Data(try Codecs.zstdCompress(Array(database)))
        let header = SnapshotHeader(format: format, writer: info.writer, versionVector: info.versionVector, created: info.created,
                                    schema: info.schema, expandedBytes: database.count,
                                    sha256: SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined(), bundles: bundles)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data(magic)
        data.append(try encoder.encode(header))
        data.append(0x0a)
        data.append(body)
        return data
    }

    /// Reads the header of the snapshot file at `url` (not its database).
    /// - Throws: `SyncError.snapshotInvalid`.
    static func header(at url: URL, displayName: String) throws -> (header: SnapshotHeader, bodyOffset: Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read")
        }
        defer { try? handle.close() }
        var prefix = Data()
        while prefix.count < maxHeaderBytes + magic.count + 1 {
            guard let chunk = try? handle.read(upToCount: 64 << 10), !chunk.isEmpty else { break }
            prefix.append(chunk)
            if let newline = prefix.dropFirst(magic.count).firstIndex(of: 0x0a) {
                guard prefix.starts(with: magic) else { break }
                guard let header = try? JSONDecoder().decode(SnapshotHeader.self, from: prefix[magic.count..<newline]) else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "its header is not readable")
                }
                guard header.format == format else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "it is in format \(header.format), which this version of Gloss does not read")
                }
                return (header, newline + 1)
            }
        }
        throw SyncError.snapshotInvalid(file: displayName, problem: "it is not a Gloss snapshot")
    }

    /// Checks the snapshot at `url` against its header and writes its database to `path`.
    /// - Throws: `SyncError.snapshotInvalid`.
    static func expand(_ url: URL, displayName: String, to path: String) throws -> SnapshotHeader {
        let (header, offset) = try header(at: url, displayName: displayName)
        guard header.expandedBytes <= maxExpandedBytes else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it would expand past \(maxExpandedBytes >> 30) GiB")
        }
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read")
        }
        let body = data[offset...]
        guard SHA256.hash(data: body).map({ String(format: "%02x", $0) }).joined() == header.sha256 else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its contents do not match its checksum (damaged or still being copied)")
        }
        let database: [UInt8]
        do {
            database = try Codecs.zstdExpand(Array(body), limit: header.expandedBytes)
        } catch {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its database does not expand as zstd")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(database), attributes: [.posixPermissions: 0o600]) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it could not be expanded beside the store")
        }
        return header
    }
}
