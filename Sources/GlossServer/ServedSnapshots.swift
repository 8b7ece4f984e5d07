import Foundation
import GlossCore
import GlossSync
import Logging
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The snapshot `gloss serve` hands a joining client (`GET /v1/snapshot`): a snapshot file of
/// its store (Schema/Snapshot.md), kept in `<store>.snapshots/` (0700) beside the database and
/// made again only once the store holds `refreshAfter` changes more than it, or when the
/// library's key or this version's schema differ from the file's. Each file is written under a
/// name of its own and the older ones are removed once a newer is in place; a request reads the
/// file through a descriptor opened here, so a download in progress keeps its file whatever is
/// made meanwhile. One snapshot is made at a time, and every request waiting meanwhile gets it.
actor ServedSnapshots {
    /// A snapshot file ready to serve.
    struct File: Sendable {
        var url: URL
        var header: SnapshotHeader
        var bytes: Int
        var sha256: [UInt8]
    }

    let store: Store
    let refreshAfter: UInt64
    let logger: Logger
    private var current: File?
    /// Looks once for a file an earlier run left, before anything is served or made.
    private var looking: Task<File?, Never>?
    private var looked = false
    private var making: Task<File, any Error>?

    init(store: Store, refreshAfter: Int, logger: Logger) {
        self.store = store
        self.refreshAfter = UInt64(max(0, refreshAfter))
        self.logger = logger
    }

    var folder: URL { URL(fileURLWithPath: store.path + ".snapshots") }

    /// The file to serve for a store holding `vector` in a library with `keys`, made when
    /// there is none or it has fallen behind, opened for reading.
    func open(holding vector: VersionVector, keys: Keyring?) async throws -> (File, FileHandle) {
        await lookOnDisk()
        if let file = current, fits(file.header, vector: vector, keys: keys), let handle = FileHandle(forReadingAtPath: file.url.path) {
            return (file, handle)
        }
        // Another request is making one: it may do (unless this one needs another key).
        if let making, let made = try? await making.value, fits(made.header, vector: vector, keys: keys),
           let handle = FileHandle(forReadingAtPath: made.url.path) {
            return (made, handle)
        }
        let task = Task { [store, folder] in
            try await NIOThreadPool.singleton.runIfActive { try Self.make(store, in: folder, keys: keys) }
        }
        making = task
        let made = try await task.value
        if making == task { making = nil }
        let previous = current
        current = made
        if let previous, previous.url != made.url { unlink(previous.url.path) }
        logger.info("made a snapshot to serve", metadata: ["changes": "\(made.header.versionVector.total)", "bytes": "\(made.bytes)"])
        guard let handle = FileHandle(forReadingAtPath: made.url.path) else {
            throw SyncError.snapshotInvalid(file: made.url.path, problem: "it cannot be read")
        }
        return (made, handle)
    }

    /// The file last made, without making one.
    func newest() async -> File? {
        await lookOnDisk()
        return current
    }

    /// Takes the newest file an earlier run left as the current one, once; every caller waits
    /// for the one look.
    private func lookOnDisk() async {
        guard !looked else { return }
        if looking == nil {
            looking = Task { [store, folder] in
                (try? await NIOThreadPool.singleton.runIfActive { Self.newestOnDisk(in: folder, of: store) }) ?? nil
            }
        }
        let found = await looking?.value
        guard !looked else { return }
        looked = true
        current = found
    }

    /// Whether a snapshot with `header` may be served to a store holding `vector` with `keys`:
    /// this replica's, of this schema, sealed under the current key exactly when the library is
    /// encrypted, and at most `refreshAfter` changes behind.
    func fits(_ header: SnapshotHeader, vector: VersionVector, keys: Keyring?) -> Bool {
        guard header.writer == store.replicaID, header.schema == Store.snapshotSchema, vector.dominates(header.versionVector) else { return false }
        if let keys {
            guard header.format == SnapshotFile.sealedFormat, header.key == keys.sealing.id else { return false }
        } else if header.format != SnapshotFile.format {
            return false
        }
        return vector.total - min(vector.total, header.versionVector.total) < refreshAfter
    }

    /// Writes a snapshot of `store` into `folder` under a new name and measures it.
    private static func make(_ store: Store, in folder: URL, keys: Keyring?) throws -> File {
        let name = "served-\(UUID().uuidString.lowercased()).\(SnapshotFile.fileExtension)"
        let header = try ServerSnapshot.write(store, into: folder, name: name, keys: keys)
        let url = folder.appendingPathComponent(name)
        let (bytes, sha256) = try ServerSnapshot.measure(fileAt: url.path)
        return File(url: url, header: header, bytes: bytes, sha256: sha256)
    }

    /// The newest served snapshot left in `folder` by an earlier run, measured; the others
    /// (older ones, and any that cannot be read) are removed.
    private static func newestOnDisk(in folder: URL, of store: Store) -> File? {
        var found: [File] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix("served-") {
            let url = folder.appendingPathComponent(name)
            guard let header = try? ServerSnapshot.header(ofFileAt: url, displayName: name),
                  let (bytes, sha256) = try? ServerSnapshot.measure(fileAt: url.path) else {
                unlink(url.path)
                continue
            }
            found.append(File(url: url, header: header, bytes: bytes, sha256: sha256))
        }
        found.sort { ($0.header.versionVector.total, $0.header.created) > ($1.header.versionVector.total, $1.header.created) }
        for older in found.dropFirst() { unlink(older.url.path) }
        return found.first
    }
}
