public import Foundation
public import GlossCore
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Snapshots over HTTP (Schema/Snapshot.md, "Over HTTP"): the file a `gloss serve` server makes
/// of its store and hands to a joining client, and the files clients upload to a relay, which
/// keeps them as opaque bytes. Either is the shared folder's snapshot file, whole (the magic
/// line, the header, the zstd body; sealed, format 2, when the library is encrypted), sent as
/// `application/vnd.gloss.snapshot` with its SHA-256 in a `Repr-Digest` header (RFC 9530).
public enum ServerSnapshot {
    public static let mediaType = "application/vnd.gloss.snapshot"
    /// The header that carries the whole file's SHA-256.
    public static let digestHeader = "Repr-Digest"
    /// The most a downloaded snapshot may take (compressed): a client stops reading past it.
    public static let maxDownloadBytes = 8 << 30

    /// Writes a snapshot of `store` as `name` in `folder` (made private, 0700, when missing),
    /// atomically, sealed under the library's current key when `keys` is given. Memory stays a
    /// few buffers however large the store. Returns the header written.
    public static func write(_ store: Store, into folder: URL, name: String, keys: Keyring?) throws -> SnapshotHeader {
        try makePrivateFolder(folder)
        let temporary = store.path + ".snapshot-\(UUID().uuidString)"
        defer { FolderMaintenance.removeDatabase(temporary) }
        let info = try store.writeSnapshot(to: temporary)
        try SnapshotFile.write(databaseAt: temporary, info: info, bundles: [:], to: folder, name: name,
                               scratch: temporary + ".zst", sealing: keys?.sealing, signer: store)
        return try SnapshotFile.header(at: folder.appendingPathComponent(name), displayName: name).header
    }

    /// The header of the snapshot file at `url` (its body is not read).
    /// - Throws: `SyncError.snapshotInvalid` naming `displayName`.
    public static func header(ofFileAt url: URL, displayName: String) throws -> SnapshotHeader {
        try SnapshotFile.header(at: url, displayName: displayName).header
    }

    /// Makes `folder` when missing, and (found or made) open to its owner only (0700): what it
    /// holds is the library.
    static func makePrivateFolder(_ folder: URL) throws {
        if mkdir(folder.path, 0o700) != 0, errno != EEXIST {
            throw SyncError.folder(path: folder.path, action: .createSubfolder, problem: FileProblem(errno: errno))
        }
        var info = stat()
        guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw SyncError.folder(path: folder.path, action: .createSubfolder, problem: .isAFile)
        }
        if info.st_mode & 0o077 != 0, chmod(folder.path, 0o700) != 0 {
            throw SyncError.folder(path: folder.path, action: .createSubfolder, problem: FileProblem(errno: errno))
        }
    }

    /// Merges the snapshot file at `url` into `store` (`SnapshotFile.merge`): checked against
    /// its header, and every change in it checked as a sync's are (`Store.mergeSnapshot`),
    /// unless the store is empty and the snapshot signed by its writer, whose pages it then
    /// copies. With `keys` (an encrypted library) only a sealed snapshot is taken, as only
    /// sealed changes are.
    /// - Throws: `SyncError.snapshotInvalid` naming `displayName`, and nothing is changed.
    public static func merge(fileAt url: URL, displayName: String, into store: Store, keys: Keyring?) throws -> SnapshotMerge {
        do {
            if keys != nil, try SnapshotFile.header(at: url, displayName: displayName).header.format != SnapshotFile.sealedFormat {
                throw SyncError.snapshotInvalid(file: displayName, problem: "it is not sealed, and this library is encrypted")
            }
            return try SnapshotFile.merge(url, displayName: displayName, into: store, keys: keys)
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.snapshotInvalid(file: displayName, problem: (error as? GlossError)?.description ?? "it could not be read (\(error))")
        }
    }

    /// The size and SHA-256 of the file at `path`, read a megabyte at a time.
    public static func measure(fileAt path: String) throws -> (bytes: Int, sha256: [UInt8]) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SyncError.snapshotInvalid(file: path, problem: "it cannot be read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return (bytes, Array(hasher.finalize()))
    }

    /// `Repr-Digest`'s value for a SHA-256: `sha-256=:BASE64:`.
    public static func digestValue(_ sha256: [UInt8]) -> String {
        "sha-256=:" + Data(sha256).base64EncodedString() + ":"
    }

    /// The SHA-256 a `Repr-Digest` value gives; nil when it gives none.
    public static func sha256(inDigest value: String?) -> [UInt8]? {
        guard let value else { return nil }
        for member in value.split(separator: ",") {
            let parts = member.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "sha-256" else { continue }
            let encoded = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if let bytes = Data(base64Encoded: encoded), bytes.count == 32 { return Array(bytes) }
        }
        return nil
    }
}

/// What a server says of the snapshot it hands out (`GET /v1/snapshot/info`).
public struct SnapshotOffer: Codable, Sendable, Equatable {
    /// The newest snapshot's header, bytes and SHA-256 (hex); nil when there is none yet.
    public var snapshot: OfferedSnapshot?
    /// Whether the server keeps snapshots its clients upload (a relay) rather than making its own.
    public var uploads: Bool

    public init(snapshot: OfferedSnapshot?, uploads: Bool) {
        self.snapshot = snapshot
        self.uploads = uploads
    }
}

/// One snapshot a server holds.
public struct OfferedSnapshot: Codable, Sendable, Equatable {
    public var format: Int
    public var writer: String
    /// What its header says it holds (routing data, never trusted: a joiner counts the changes
    /// it really holds).
    public var versionVector: VersionVector
    /// Milliseconds since 1970.
    public var created: UInt64
    /// The whole file's size and SHA-256 (hex).
    public var bytes: Int
    public var sha256: String

    public init(header: SnapshotHeader, bytes: Int, sha256: [UInt8]) {
        format = header.format
        writer = header.writer.rawValue
        versionVector = header.versionVector
        created = header.created
        self.bytes = bytes
        self.sha256 = sha256.map { String(format: "%02x", $0) }.joined()
    }

    /// How many changes it says it holds.
    public var changes: UInt64 { versionVector.total }
}

extension SyncSession {
    /// Where a store keeps snapshot files it makes or fetches for a server: `<store>.snapshots`,
    /// beside the database, private (0700).
    /// Downloads and uploads left there by a sync that was killed (an hour old or more) are
    /// removed.
    static func snapshotFolder(of store: Store) throws -> URL {
        let folder = URL(fileURLWithPath: store.path + ".snapshots")
        try ServerSnapshot.makePrivateFolder(folder)
        let hourAgo = Date().addingTimeInterval(-3_600)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix("download-") || name.hasPrefix("upload-") || name.hasPrefix(".tmp-") {
            let path = folder.appendingPathComponent(name).path
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < hourAgo {
                unlink(path)
            }
        }
        return folder
    }

    /// An empty store starts from the server's snapshot: downloaded beside it (streamed,
    /// size-bounded, its SHA-256 checked) and merged in (every change checked). Nothing when the
    /// store is not empty or the server offers none; a snapshot that cannot be used is a
    /// warning, and the sync pulls everything as it would without one.
    /// - Throws: `SyncError.unauthorized` (the token is refused).
    static func joinFromServer(_ store: Store, through transport: HTTPTransport, keys: Keyring?,
                               upkeep: inout FolderUpkeep) async throws -> (sha256: String, held: VersionVector)? {
        guard try store.isEmpty() else { return nil }
        let name = transport.snapshotURL.absoluteString
        var path: String?
        defer { if let path { unlink(path) } }
        do {
            let file = try snapshotFolder(of: store).appendingPathComponent("download-\(UUID().uuidString.lowercased()).\(SnapshotFile.fileExtension)")
            path = file.path
            guard let sha256 = try await transport.downloadSnapshot(to: file.path) else { return nil }
            let merge = try ServerSnapshot.merge(fileAt: file, displayName: name, into: store, keys: keys)
            upkeep.joinedFrom = name
            upkeep.mergedFromSnapshot = merge.received
            upkeep.newConflicts = merge.newConflicts
            return (sha256.map { String(format: "%02x", $0) }.joined(), merge.held)
        } catch let error as SyncError {
            if case .unauthorized = error { throw error }
            upkeep.warnings.append(error)
        } catch {
            upkeep.warnings.append(.snapshotInvalid(file: name, problem: "it could not be used (\(error))"))
        }
        return nil
    }

    /// After a sync with a server that keeps its clients' snapshots (a relay): uploads a
    /// snapshot of `store` when the store holds `policy.snapshotAfter` changes more than the
    /// newest the server holds (by what this sync found it holds when it joined from it, else
    /// by its header's word), as a folder sync writes one. A failure is a warning: the changes
    /// are synced.
    static func offerSnapshot(of store: Store, to transport: HTTPTransport, keys: Keyring?, policy: FolderPolicy,
                              joined: (sha256: String, held: VersionVector)?, upkeep: inout FolderUpkeep) async {
        var path: String?
        defer { if let path { unlink(path) } }
        do {
            guard let offer = try await transport.snapshotOffer(), offer.uploads else { return }
            var newest = offer.snapshot?.changes ?? 0
            if let joined, let held = offer.snapshot, held.sha256 == joined.sha256 { newest = joined.held.total }
            guard policy.wantsSnapshot(holding: try store.versionVector().total, newest: newest) else { return }
            let folder = try snapshotFolder(of: store)
            let name = "upload-\(UUID().uuidString.lowercased()).\(SnapshotFile.fileExtension)"
            path = folder.appendingPathComponent(name).path
            _ = try ServerSnapshot.write(store, into: folder, name: name, keys: keys)
            let (bytes, sha256) = try ServerSnapshot.measure(fileAt: folder.appendingPathComponent(name).path)
            _ = try await transport.uploadSnapshot(fileAt: folder.appendingPathComponent(name).path, bytes: bytes, sha256: sha256)
            upkeep.snapshotWritten = transport.snapshotURL.absoluteString
        } catch let error as SyncError {
            upkeep.warnings.append(error)
        } catch {
            upkeep.warnings.append(.snapshotInvalid(file: transport.snapshotURL.absoluteString, problem: "it could not be uploaded (\(error))"))
        }
    }
}
