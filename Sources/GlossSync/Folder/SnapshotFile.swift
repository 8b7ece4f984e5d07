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

    /// Writes the snapshot of the database at `databasePath` (a snapshot `Store.writeSnapshot`
    /// wrote) as `name` in `folder`, atomically. The body is compressed into `scratch` first (to
    /// learn its checksum and size for the header), then copied in: memory stays a few buffers
    /// however large the library.
    static func write(databaseAt databasePath: String, info: SnapshotInfo, bundles: [String: String],
                      to folder: URL, name: String, scratch: String) throws {
        guard let database = FileHandle(forReadingAtPath: databasePath) else {
            throw SyncError.folder(path: databasePath, action: .write, problem: .system(code: EIO))
        }
        defer { try? database.close() }
        guard FileManager.default.createFile(atPath: scratch, contents: nil, attributes: [.posixPermissions: 0o600]),
              let body = FileHandle(forWritingAtPath: scratch) else {
            throw SyncError.folder(path: scratch, action: .write, problem: .system(code: EIO))
        }
        defer { unlink(scratch) }
        var hasher = SHA256()
        var expanded = 0
        do {
            try Codecs.zstdCompressStream(read: { buffer in
                let chunk = try database.read(upToCount: buffer.count) ?? Data()
                chunk.copyBytes(to: buffer.bindMemory(to: UInt8.self))
                expanded += chunk.count
                return chunk.count
            }, write: { piece in
                hasher.update(bufferPointer: piece)
                try body.write(contentsOf: Data(piece))
            })
            try body.close()
        } catch {
            try? body.close()
            throw error
        }
        let header = SnapshotHeader(format: format, writer: info.writer, versionVector: info.versionVector, created: info.created,
                                    schema: info.schema, expandedBytes: expanded,
                                    sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined(), bundles: bundles)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var head = Data(magic)
        head.append(try encoder.encode(header))
        head.append(0x0a)
        guard let compressed = FileHandle(forReadingAtPath: scratch) else {
            throw SyncError.folder(path: scratch, action: .write, problem: .system(code: EIO))
        }
        defer { try? compressed.close() }
        try FolderTransport.writeAtomically(to: folder, name: name) { fd in
            try head.withUnsafeBytes { try FolderTransport.writeAll(fd, $0, folder: folder) }
            while let chunk = try compressed.read(upToCount: 1 << 20), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try FolderTransport.writeAll(fd, $0, folder: folder) }
            }
        }
    }

    /// Reads the header of the snapshot file at `url` (not its database).
    /// - Throws: `SyncError.snapshotInvalid`.
    static func header(at url: URL, displayName: String) throws -> (header: SnapshotHeader, bodyOffset: Int) {
        // Non-blocking and checked to be a regular file, as bundles are: a FIFO named like a
        // snapshot must not hold the sync in open(2) or read(2).
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it is not a regular file")
        }
        var prefix = Data()
        while prefix.count < maxHeaderBytes + magic.count + 1 {
            guard let chunk = try? handle.read(upToCount: 64 << 10), !chunk.isEmpty else { break }
            let searched = max(magic.count, prefix.count)
            prefix.append(chunk)
            guard prefix.count < magic.count || prefix.starts(with: magic) else { break }
            // Only the new bytes are searched for the header's end.
            if let newline = prefix[searched...].firstIndex(of: 0x0a) {
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

    /// Checks the snapshot at `url` against its header and writes its database to `path`,
    /// streamed: memory stays a few buffers.
    /// - Throws: `SyncError.snapshotInvalid`.
    static func expand(_ url: URL, displayName: String, to path: String) throws -> SnapshotHeader {
        let (header, offset) = try header(at: url, displayName: displayName)
        guard header.expandedBytes <= maxExpandedBytes else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it would expand past \(maxExpandedBytes >> 30) GiB")
        }
        guard bodyChecksum(url, offset: offset) == header.sha256 else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its contents do not match its checksum (damaged or still being copied)")
        }
        guard let input = FileHandle(forReadingAtPath: url.path),
              FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: path) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it could not be expanded beside the store")
        }
        defer {
            try? input.close()
            try? output.close()
        }
        do {
            try input.seek(toOffset: UInt64(offset))
            try Codecs.zstdExpandStream(limit: header.expandedBytes, read: { buffer in
                let chunk = try input.read(upToCount: buffer.count) ?? Data()
                chunk.copyBytes(to: buffer.bindMemory(to: UInt8.self))
                return chunk.count
            }, write: { piece in
                try output.write(contentsOf: Data(piece))
            })
        } catch is Codecs.Failure {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its database does not expand as zstd to the size its header gives")
        } catch {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it could not be expanded beside the store (\(error))")
        }
        return header
    }

    /// SHA-256 (hex) of the file's bytes from `offset`, read a megabyte at a time.
    static func bodyChecksum(_ url: URL, offset: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            try handle.seek(toOffset: UInt64(offset))
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
