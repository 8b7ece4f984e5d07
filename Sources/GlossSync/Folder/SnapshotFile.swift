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
    /// Format 2 (an encrypted library): the id of the key the body is sealed under.
    public var key: String?
    /// Format 2: the bytes of compressed database in each sealed chunk but the last.
    public var chunkBytes: Int?
    /// The writer's Ed25519 public key (base64), the one its id is made from: present when the
    /// writer signed the file.
    public var publicKey: String?
    /// The writer's signature (base64) of the header, `sha256` included (so of the body too):
    /// it vouches that the database's tables are what its change log folds to, and a joining
    /// store may then copy its pages instead of replaying its log.
    public var signature: String?
}

/// A snapshot in a shared folder: `DIR/<replica>/snapshot-<created>.glsnap`, written by its
/// replica only, atomically. The file is the magic line `GLOSS-SNAPSHOT`, the header as one line
/// of JSON, then the store's database (`Store.writeSnapshot`) compressed with zstd.
///
/// Format 2 is the same file for an encrypted library: the compressed database is cut into
/// chunks of `chunkBytes`, each sealed (`Seal`) under the key the header names, bound to the
/// header (all of it but `sha256`), the chunk's index and whether it is the last, so chunks
/// cannot be reordered, dropped or cut off at a chunk's end; `sha256` is then of the sealed body.
public enum SnapshotFile {
    public static let fileExtension = "glsnap"
    public static let format = 1
    public static let sealedFormat = 2
    /// Compressed database bytes per sealed chunk.
    static let sealedChunkBytes = 1 << 20
    static let magic = Array("GLOSS-SNAPSHOT\n".utf8)
    /// The bytes of the magic line, before the header's.
    public static var magicLength: Int { magic.count }
    /// A header is a few kilobytes, plus about 150 bytes per bundle it lists.
    static let maxHeaderBytes = 16 << 20
    /// The largest database a snapshot may expand to.
    static let maxExpandedBytes = 16 << 30

    /// The file name of a snapshot written at `created`.
    static func name(created: UInt64) -> String {
        "snapshot-" + String(format: "%013llu", created) + "." + fileExtension
    }

    /// Writes the snapshot of the database at `databasePath` (a snapshot `Store.writeSnapshot`
    /// wrote) as `name` in `folder`, atomically, signed by `signer` (the store it was copied
    /// from) when `info` says its tables are its log's (`SnapshotInfo.signable`). The body is compressed into `scratch` first (to
    /// learn its checksum and size for the header), then copied in: memory stays a few buffers
    /// however large the library.
    static func write(databaseAt databasePath: String, info: SnapshotInfo, bundles: [String: String],
                      to folder: URL, name: String, scratch: String, sealing key: LibraryKey? = nil,
                      chunkBytes: Int = sealedChunkBytes, signer: Store? = nil) throws {
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
        var header = SnapshotHeader(format: format, writer: info.writer, versionVector: info.versionVector, created: info.created,
                                    schema: info.schema, expandedBytes: expanded,
                                    sha256: hex(hasher.finalize()), bundles: bundles)
        var bodyPath = scratch
        if let key {
            header.format = sealedFormat
            header.key = key.id
            header.chunkBytes = chunkBytes
            bodyPath = scratch + ".sealed"
            header.sha256 = try seal(scratch, into: bodyPath, header: header, under: key)
        }
        defer { if bodyPath != scratch { unlink(bodyPath) } }
        // Signed last, over everything else the header says (the body's checksum included).
        if info.signable, let signer, let (publicKey, signature) = try signer.signSnapshot(headerDigest: headerDigest(header)) {
            header.publicKey = Data(publicKey).base64EncodedString()
            header.signature = Data(signature).base64EncodedString()
        }
        var head = Data(magic)
        head.append(try json(header))
        head.append(0x0a)
        guard let compressed = FileHandle(forReadingAtPath: bodyPath) else {
            throw SyncError.folder(path: bodyPath, action: .write, problem: .system(code: EIO))
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
            if let found = try header(in: prefix, searchingFrom: searched, displayName: displayName) { return found }
        }
        throw SyncError.snapshotInvalid(file: displayName, problem: "it is not a Gloss snapshot")
    }

    /// The header at the start of `prefix` (a snapshot file's first bytes) and where its body
    /// starts; nil while `prefix` holds no end of the header line past `searchingFrom`.
    /// - Throws: `SyncError.snapshotInvalid` for bytes that are no snapshot's start, or a header
    ///   that is not readable or of a format this version does not read.
    public static func header(in prefix: Data, searchingFrom: Int = 0, displayName: String) throws -> (header: SnapshotHeader, bodyOffset: Int)? {
        let start = prefix.startIndex
        guard prefix.count < magic.count ? magic.starts(with: prefix) : prefix.starts(with: magic) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it is not a Gloss snapshot")
        }
        let from = start + max(magic.count, searchingFrom)
        guard from < prefix.endIndex, let newline = prefix[from...].firstIndex(of: 0x0a) else { return nil }
        guard let header = try? JSONDecoder().decode(SnapshotHeader.self, from: prefix[(start + magic.count)..<newline]) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its header is not readable")
        }
        guard header.format == format || header.format == sealedFormat else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it is in format \(header.format), which this version of Gloss does not read")
        }
        return (header, newline - start + 1)
    }

    /// Checks the snapshot at `url` against its header (its checksum, its seal, its writer's
    /// signature when it has one) and writes its database to `path`, streamed: memory stays a
    /// few buffers. A header returned with a `signature` is one that verified.
    /// - Throws: `SyncError.snapshotInvalid`.
    static func expand(_ url: URL, displayName: String, to path: String, keys: Keyring? = nil) throws -> SnapshotHeader {
        let opened = try Opened(url, displayName: displayName, keys: keys)
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw SyncError.snapshotInvalid(file: displayName, problem: "it could not be expanded beside the store") }
        defer { close(output) }
        try opened.expand { piece in try FolderTransport.writeAll(output, piece, folder: URL(fileURLWithPath: path)) }
        return opened.header
    }

    /// Checks the snapshot at `url` and merges it into `store` (`Store.mergeSnapshot`): expanded
    /// into memory when it is small enough (`Store.snapshotImageLimit`), else into a file
    /// beside the store. An empty store copies the pages of one its writer signed (and, in an
    /// encrypted library, sealed under the library key).
    /// - Throws: `SyncError.snapshotInvalid`, or the store's error, and nothing is changed.
    static func merge(_ url: URL, displayName: String, into store: Store, keys: Keyring?) throws -> SnapshotMerge {
        let opened = try Opened(url, displayName: displayName, keys: keys)
        // In an encrypted library only a sealed snapshot vouches for its writer's membership:
        // a plain one (anyone who can write the folder could have made and signed it) is replayed.
        let adopting = opened.header.signature != nil && (keys == nil || opened.header.format == sealedFormat)
        let bytes = opened.header.expandedBytes
        guard bytes > Store.snapshotImageLimit else {
            return try store.mergeSnapshot(imageOf: bytes, name: displayName, fill: { buffer in
                if try opened.expandWhole(into: buffer) { return }
                var filled = 0
                try opened.expand { piece in
                    guard piece.count <= buffer.count - filled else { throw Codecs.Failure.tooLarge }
                    UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + piece.count)]).copyMemory(from: piece)
                    filled += piece.count
                }
                guard filled == buffer.count else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "its database does not expand as zstd to the size its header gives")
                }
            }, adoptingPages: adopting)
        }
        let temporary = store.path + ".snapshot-\(UUID().uuidString)"
        defer { FolderMaintenance.removeDatabase(temporary) }
        _ = try expand(url, displayName: displayName, to: temporary, keys: keys)
        return try store.mergeSnapshot(at: temporary, adoptingPages: adopting)
    }

    /// A snapshot file whose header has been read and checked (format, seal, size, signature),
    /// ready to expand.
    struct Opened {
        let url: URL
        let displayName: String
        let header: SnapshotHeader
        let offset: Int
        let opener: ChunkOpener?

        init(_ url: URL, displayName: String, keys: Keyring?) throws {
            (header, offset) = try SnapshotFile.header(at: url, displayName: displayName)
            self.url = url
            self.displayName = displayName
            if header.format == sealedFormat {
                guard let id = header.key, let chunk = header.chunkBytes, (1...(64 << 20)).contains(chunk) else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "its header does not say how it is sealed")
                }
                guard let keys else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "it is sealed, and this replica holds no key of the library")
                }
                guard let key = keys.key(id) else {
                    throw SyncError.snapshotInvalid(file: displayName, problem: "it is sealed under key \(id.prefix(32)), which this replica does not hold")
                }
                var info = stat()
                guard stat(url.path, &info) == 0 else { throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read") }
                opener = ChunkOpener(key: key, bound: try boundHeader(header), chunkBytes: chunk, bodyBytes: Int(info.st_size) - offset)
            } else {
                opener = nil
            }
            guard header.expandedBytes <= maxExpandedBytes else {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it would expand past \(maxExpandedBytes >> 30) GiB")
            }
            try checkSignature(header, displayName: displayName)
        }

        /// Hands the expanded database to `sink` piece by piece. A sealed body is checked whole
        /// before its chunks are opened; a plain one as it is expanded, in one read of the file
        /// (so `sink` may have taken bytes of a file that then fails: the caller drops them).
        func expand(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
            guard opener == nil else { return try expandSealed(into: sink) }
            let input = open(url.path, O_RDONLY | O_CLOEXEC)
            defer { if input >= 0 { close(input) } }
            guard input >= 0, lseek(input, off_t(offset), SEEK_SET) == off_t(offset) else {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read")
            }
            var hasher = SHA256()
            do {
                try Codecs.zstdExpandStream(limit: header.expandedBytes, read: { buffer in
                    while true {
                        let count = read(input, buffer.baseAddress, buffer.count)
                        if count < 0 && errno == EINTR { continue }
                        guard count >= 0 else { throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read") }
                        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                        return count
                    }
                }, write: sink)
            } catch let error as SyncError {
                throw error
            } catch {
                // A damaged file is told as damaged: the checksum of the whole body decides.
                var rest = [UInt8](repeating: 0, count: 1 << 16)
                while case let count = rest.withUnsafeMutableBytes({ read(input, $0.baseAddress, $0.count) }), count > 0 {
                    rest.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                }
                guard hex(hasher.finalize()) == header.sha256 else { throw checksumMismatch(displayName) }
                throw SyncError.snapshotInvalid(file: displayName, problem: error is Codecs.Failure
                    ? "its database does not expand as zstd to the size its header gives"
                    : "it could not be expanded (\(error))")
            }
            guard hex(hasher.finalize()) == header.sha256 else { throw checksumMismatch(displayName) }
        }

        /// Expands a plain body at most `Store.snapshotImageLimit` long into `buffer`, its frames
        /// on every core at once, and checks its checksum meanwhile; false for a sealed one (it is
        /// opened chunk by chunk).
        func expandWhole(into buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
            guard opener == nil else { return false }
            let input = open(url.path, O_RDONLY | O_CLOEXEC)
            defer { if input >= 0 { close(input) } }
            var info = stat()
            guard input >= 0, fstat(input, &info) == 0, Int(info.st_size) >= offset else {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read")
            }
            let length = Int(info.st_size) - offset
            guard length <= Store.snapshotImageLimit else { return false }
            // Read into memory the kernel need not clear first, backed by huge pages where it can.
            let body = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 2 << 20)
            defer { body.deallocate() }
            Store.adviseHugePages(body.baseAddress!, bytes: body.count)
            var done = 0
            while done < length {
                let count = pread(input, body.baseAddress! + done, length - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read") }
                done += count
            }
            // The checksum is taken while the frames expand, on the cores left over; nothing of
            // the buffer is used unless it matches (zstd reads hostile input safely).
            let read = UnsafeRawBufferPointer(rebasing: body[..<length])
            var digest = ""
            do {
                try Codecs.zstdExpand(read, into: buffer, alongside: { digest = hex(SHA256.hash(data: read)) })
            } catch {
                guard digest == header.sha256 else { throw checksumMismatch(displayName) }
                throw SyncError.snapshotInvalid(file: displayName, problem: "its database does not expand as zstd to the size its header gives")
            }
            guard digest == header.sha256 else { throw checksumMismatch(displayName) }
            return true
        }

        /// `expand` of a sealed body (format 2).
        private func expandSealed(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
            var opener = opener
            guard bodyChecksum(url, offset: offset) == header.sha256 else { throw checksumMismatch(displayName) }
            guard let input = FileHandle(forReadingAtPath: url.path) else {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it cannot be read")
            }
            defer { try? input.close() }
            do {
                try input.seek(toOffset: UInt64(offset))
                try Codecs.zstdExpandStream(limit: header.expandedBytes, read: { buffer in
                    let chunk = try opener?.read(upTo: buffer.count, from: input) ?? Data()
                    chunk.copyBytes(to: buffer.bindMemory(to: UInt8.self))
                    return chunk.count
                }, write: sink)
            } catch let error as SyncError {
                throw error
            } catch is ChunkOpener.Broken {
                throw SyncError.snapshotInvalid(file: displayName, problem: "its seal does not open (the file was altered, cut short or spliced)")
            } catch is Codecs.Failure {
                throw SyncError.snapshotInvalid(file: displayName, problem: "its database does not expand as zstd to the size its header gives")
            } catch {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it could not be expanded (\(error))")
            }
        }
    }

    static func checksumMismatch(_ displayName: String) -> SyncError {
        .snapshotInvalid(file: displayName, problem: "its contents do not match its checksum (damaged or still being copied)")
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
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
        return hex(hasher.finalize())
    }

    /// A header as the file holds it: JSON, sorted keys, no escaped slashes. What a seal binds
    /// and a signature covers is this encoding of the header with some members cleared.
    static func json(_ header: SnapshotHeader) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(header)
    }

    // MARK: - Signing

    /// The digest the writer signs (``SnapshotSignature``): the SHA-256 of the header's JSON
    /// without `publicKey` and `signature` (the key is bound by the writer's id, which is made
    /// from it).
    static func headerDigest(_ header: SnapshotHeader) throws -> [UInt8] {
        var signed = header
        signed.publicKey = nil
        signed.signature = nil
        return Array(SHA256.hash(data: try json(signed)))
    }

    /// Checks a signed header: its key must be the one its writer's id is made from (so the
    /// file names its signer with no key trusted on first use), and the signature must verify.
    /// An unsigned header passes (its database is then replayed, never copied).
    /// - Throws: `SyncError.snapshotInvalid`.
    static func checkSignature(_ header: SnapshotHeader, displayName: String) throws {
        guard header.publicKey != nil || header.signature != nil else { return }
        guard let key = header.publicKey.flatMap({ Data(base64Encoded: $0) }), let signature = header.signature.flatMap({ Data(base64Encoded: $0) }),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its signature is not readable")
        }
        guard ReplicaID(signingKey: Array(key)) == header.writer else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "it is signed under a key that is not its writer's")
        }
        guard publicKey.isValidSignature(signature, for: SnapshotSignature.message(headerDigest: try headerDigest(header))) else {
            throw SyncError.snapshotInvalid(file: displayName, problem: "its signature does not verify (the file was altered after its writer signed it)")
        }
    }

    // MARK: - Sealing (format 2)

    /// The header as a seal binds it: its JSON (sorted keys) with `sha256` empty, which is of
    /// the sealed body and so comes after, and without the signature, which comes last.
    static func boundHeader(_ header: SnapshotHeader) throws -> Data {
        var bound = header
        bound.sha256 = ""
        // Signed after sealing: the seal binds what an unsigned header says.
        bound.publicKey = nil
        bound.signature = nil
        return Data(SHA256.hash(data: try json(bound)))
    }

    /// What chunk `index` is bound to.
    static func chunkData(_ bound: Data, index: Int, last: Bool) -> Data {
        Data("gloss sealed snapshot v2 \(index) \(last ? "last" : "more")\n".utf8) + bound
    }

    /// Seals the compressed database at `path` into `sealedPath`, chunk by chunk; returns the
    /// SHA-256 (hex) of what it wrote.
    static func seal(_ path: String, into sealedPath: String, header: SnapshotHeader, under key: LibraryKey) throws -> String {
        let bound = try boundHeader(header)
        let sealedChunkBytes = header.chunkBytes ?? Self.sealedChunkBytes
        guard let input = FileHandle(forReadingAtPath: path),
              FileManager.default.createFile(atPath: sealedPath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: sealedPath) else {
            throw SyncError.folder(path: sealedPath, action: .write, problem: .system(code: EIO))
        }
        defer {
            try? input.close()
            try? output.close()
        }
        var hasher = SHA256()
        var index = 0
        var chunk = try input.read(upToCount: sealedChunkBytes) ?? Data()
        while true {
            let next = chunk.count == sealedChunkBytes ? try input.read(upToCount: sealedChunkBytes) ?? Data() : Data()
            let last = next.isEmpty
            let box = try Seal.seal(chunk, under: key, binding: chunkData(bound, index: index, last: last))
            hasher.update(data: box)
            try output.write(contentsOf: box)
            if last { break }
            chunk = next
            index += 1
        }
        return hex(hasher.finalize())
    }

    /// Reads a sealed body chunk by chunk, handing out the opened bytes.
    struct ChunkOpener {
        struct Broken: Error {}
        let key: LibraryKey
        let bound: Data
        let chunkBytes: Int
        /// The sealed body's size, which says where the last chunk ends.
        var bodyBytes: Int
        var index = 0
        var consumed = 0
        var pending = Data()
        var handedOut = 0

        init(key: LibraryKey, bound: Data, chunkBytes: Int, bodyBytes: Int) {
            self.key = key
            self.bound = bound
            self.chunkBytes = chunkBytes
            self.bodyBytes = bodyBytes
        }

        /// Up to `count` opened bytes; empty at the end.
        /// - Throws: `Broken` when a chunk does not open.
        mutating func read(upTo count: Int, from input: FileHandle) throws -> Data {
            if handedOut == pending.count, consumed < bodyBytes {
                let size = min(chunkBytes + Seal.overhead, bodyBytes - consumed)
                guard let box = try input.read(upToCount: size), box.count == size else { throw Broken() }
                consumed += size
                guard let opened = Seal.open(box, under: key, binding: SnapshotFile.chunkData(bound, index: index, last: consumed == bodyBytes)) else {
                    throw Broken()
                }
                pending = opened
                handedOut = 0
                index += 1
            }
            let end = min(pending.count, handedOut + count)
            defer { handedOut = end }
            return pending.subdata(in: handedOut..<end)
        }
    }
}
