public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Sync through a directory anyone can share: a USB stick, a Syncthing or Dropbox folder.
///
/// Layout: `DIR/<replica-id>/<time>-<sha256>.glb`, one subfolder per replica. A replica writes
/// only new files, only into its own subfolder, atomically (temp file, fsync, rename, fsync of the
/// folder), so several machines can sync into one folder at once. It reads everyone's files, but
/// only files it has not applied before: the store records each applied file and what it held.
public actor FolderTransport: Transport {
    public nonisolated let directory: URL
    let store: Store
    let peer: String

    private var scanned = false
    /// What the folder holds that this store has recorded or pulled: every bundle read or recorded.
    private var applied = DotRanges()
    /// Bundles not yet recorded in this store's sync state, oldest first per replica.
    private var pending: [(key: String, url: URL)] = []
    private var names: [ReplicaID: String] = [:]
    private var problems: [String] = []
    /// ChangeBundle files read (and verified) by this transport: zero when the folder holds nothing new.
    public private(set) var bundlesRead = 0
    /// ChangeBundle files this transport wrote.
    public private(set) var bundlesWritten = 0

    public static let fileExtension = "glb"

    /// - Throws: `SyncError.folderUnusable` when `path` exists but is not a directory, or cannot be made.
    public init(directory path: String, store: Store) throws {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SyncError.folderUnusable(path: url.path, reason: "it is a file, not a folder") }
        } else {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            } catch {
                throw SyncError.folderUnusable(path: url.path, reason: "it does not exist and cannot be created (does its parent folder exist?)")
            }
        }
        directory = url
        self.store = store
        peer = "folder:" + url.path
    }

    // MARK: - Transport

    /// What the folder holds. Reads bundles not pulled yet (pull first and this reads nothing).
    public func versionVector() async throws -> VersionVector {
        try scan()
        var all = applied
        for (key, url) in pending {
            guard let bundle = try? read(url, displayName: key) else { continue }
            all.formUnion(DotRanges(bundle.changes.map(\.dot)))
        }
        return all.contiguous
    }

    /// Every change in the folder `vector` lacks, all at once (sync itself uses `pull`, which
    /// streams).
    public func changes(since vector: VersionVector) async throws -> [Change] {
        let collected = Collected()
        try await pull(since: vector) { changes, _ in collected.append(changes) }
        return collected.all
    }

    /// Reads the bundles not applied before one at a time, hands each to `apply` with a
    /// checkpoint recording it, and lets it go: memory follows the largest bundle, not the folder.
    public func pull(since vector: VersionVector, into apply: @Sendable ([Change], SyncCheckpoint?) async throws -> Void) async throws {
        try scan()
        let queue = pending
        pending = []
        for (key, url) in queue {
            let bundle: ChangeBundle
            do {
                bundle = try read(url, displayName: key)
            } catch let error as SyncError {
                problems.append(error.description)
                continue
            }
            for (id, name) in bundle.names { if let replica = ReplicaID(id) { names[replica] = name } }
            let missing = bundle.changes.filter { !vector.covers($0.dot) }
            try await apply(missing, SyncCheckpoint(peer: peer, values: [key: WireJSON.encodeCovers(bundle.covers)]))
            applied.formUnion(DotRanges(bundle.changes.map(\.dot)))
        }
    }

    public func warnings() async -> [String] { problems }

    public func replicaNames() async throws -> [ReplicaID: String] { names }

    /// Writes `changes` as one new bundle in this replica's subfolder.
    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> ApplyReport {
        guard !changes.isEmpty else { return ApplyReport() }
        let bundle = ChangeBundle(replica: store.replicaID, created: UInt64(Date().timeIntervalSince1970 * 1000),
                                  names: names, changes: changes)
        let (data, sha) = try BundleCodec.encode(bundle)
        let folder = directory.appendingPathComponent(store.replicaID.rawValue)
        let name = String(format: "%013llu", bundle.created) + "-" + sha + "." + Self.fileExtension
        try writeAtomically(data, to: folder, name: name)
        bundlesWritten += 1
        try store.record(SyncCheckpoint(peer: peer, values: [store.replicaID.rawValue + "/" + name: WireJSON.encodeCovers(bundle.covers)]))
        applied.formUnion(DotRanges(changes.map(\.dot)))
        return ApplyReport(applied: changes.count)
    }

    // MARK: - Reading the folder

    /// Lists every replica's subfolder and reads the bundles not applied before.
    private func scan() throws {
        guard !scanned else { return }
        scanned = true
        let state = try store.syncState(peer: peer)
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw SyncError.folderUnusable(path: directory.path, reason: "cannot list it (\(error.localizedDescription))")
        }
        for entry in entries.sorted() where ReplicaID(entry) != nil {
            let folder = directory.appendingPathComponent(entry)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for file in files.sorted() where !file.hasPrefix(".") {
                let key = entry + "/" + file
                if let recorded = state[key], let covers = Self.decodeCovers(recorded) {
                    applied.formUnion(covers)
                    continue
                }
                pending.append((key, folder.appendingPathComponent(file)))
            }
        }
    }

    private func read(_ url: URL, displayName: String) throws -> ChangeBundle {
        let name = url.lastPathComponent
        let stem = name.hasSuffix("." + Self.fileExtension) ? String(name.dropLast(Self.fileExtension.count + 1)) : nil
        guard let sha = stem?.split(separator: "-").last.map(String.init), sha.count == 64,
              sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw SyncError.bundleInvalid(file: displayName, reason: "not a Gloss bundle (unexpected name)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SyncError.bundleInvalid(file: displayName, reason: "cannot be read (\(error.localizedDescription))")
        }
        bundlesRead += 1
        return try BundleCodec.decode(data, expectedSHA256: sha, file: displayName)
    }

    // MARK: - Writing

    private func writeAtomically(_ data: Data, to folder: URL, name: String) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SyncError.folderUnusable(path: folder.path, reason: "cannot create this replica's subfolder (\(error.localizedDescription))")
        }
        removeAbandonedTemporaries(in: folder)
        let temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)")
        let final = folder.appendingPathComponent(name)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw SyncError.folderUnusable(path: folder.path, reason: "cannot write (\(String(cString: strerror(errno))))") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary.path, final.path) == 0 else {
            unlink(temporary.path)
            throw SyncError.folderUnusable(path: folder.path, reason: "writing a bundle failed (\(String(cString: strerror(errno)))); is the disk full?")
        }
        let directoryFD = open(folder.path, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// A sync killed mid-write leaves its temp file behind; only this replica writes here, so an
    /// old one is safe to remove (a recent one may belong to a sync running right now).
    private func removeAbandonedTemporaries(in folder: URL) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for file in files where file.hasPrefix(".tmp-") {
            let path = folder.appendingPathComponent(file).path
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               modified.timeIntervalSinceNow < -600 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    static func decodeCovers(_ text: String) -> DotRanges? {
        (try? WireJSON.decodeCovers(Array(text.utf8))).flatMap(DotRanges.init(encoded:))
    }
}
