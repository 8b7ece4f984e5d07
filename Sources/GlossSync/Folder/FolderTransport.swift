public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Sync through a directory anyone can share: a USB stick, a Syncthing or Dropbox folder.
///
/// Layout: `DIR/<replica-id>/<time>-<sha256>.glb`, one subfolder per replica, which also holds
/// that replica's snapshot (`snapshot-<time>.glsnap`) and published version vector
/// (`vector.json`): see ``FolderMaintenance``. A replica writes
/// only new files, only into its own subfolder, atomically (temp file, fsync, rename, fsync of the
/// folder), so several machines can sync into one folder at once. It reads everyone's files, but
/// only those not applied before: each page of a pull is one bundle, whose checkpoint names the
/// file and what it covered, and a later sync is handed those back (`remembered`) and skips them,
/// so a sync with nothing new reads no bundle at all. A bundle found invalid is remembered the
/// same way, by its size and modification time (``InvalidMark``), and skipped unread, with a
/// warning, until the file changes. A transport lists the folder once, on its first call: make a
/// new one for each sync.
public actor FolderTransport: Transport {
    public nonisolated let directory: URL
    public nonisolated let peer: String
    /// The replica whose subfolder pushes write into.
    let replica: ReplicaID
    /// The library's keys when it is encrypted: every bundle written is sealed under the current
    /// one, and sealed bundles are opened with them. Nil reads plaintext bundles only, and a
    /// sealed one ends the sync (`SyncError.libraryEncrypted`) before anything is written.
    let keys: Keyring?

    /// The folder's bundles, listed once per transport.
    private var listing: Listing?
    /// What the folder holds as far as this transport knows: bundles remembered, read or written.
    private var known = DotRanges()
    private var names: [ReplicaID: String] = [:]
    private var problems: [SyncError] = []
    /// Bundles found invalid by this transport, to record with the next page's checkpoint.
    private var marks: [String: String] = [:]
    /// ChangeBundle files read (and verified) by this transport: zero when the folder holds nothing new.
    public private(set) var bundlesRead = 0
    /// ChangeBundle files this transport wrote.
    public private(set) var bundlesWritten = 0
    /// The most JSON one bundle of more than one change holds: `WireLimits.pageBytes`.
    let pageBytes: Int

    public static let fileExtension = "glb"

    /// The bundles not applied before, oldest first per replica, and how far pulls have read them.
    private struct Listing {
        var unread: [(key: String, url: URL)]
        var pulled = 0
    }

    /// Opens the folder at `path`, creating it (not its parents) when it does not exist; pushes
    /// write as `replica`, bundles of at most `pageBytes` of JSON (tests make it small).
    /// - Throws: `SyncError.folder` when `path` is a file, or cannot be made (and why: its parent
    ///   is missing, is not writable, …).
    public init(directory path: String, replica: ReplicaID, keys: Keyring? = nil, pageBytes: Int = WireLimits.pageBytes) throws {
        let url = try Self.folder(at: path)
        directory = url
        self.replica = replica
        self.keys = keys
        self.pageBytes = pageBytes
        peer = "folder:" + url.path
    }

    /// The folder at `path` (tilde expanded, standardized), made when it does not exist (not its
    /// parents).
    /// - Throws: `SyncError.folder` when `path` is a file, or cannot be made.
    public static func folder(at path: String) throws -> URL {
        let url = URL(fileURLWithPath: UserHome.expandingTilde(path)).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SyncError.folder(path: url.path, action: .create, problem: .isAFile) }
        } else if mkdir(url.path, 0o755) != 0, errno != EEXIST {
            throw SyncError.folder(path: url.path, action: .create, problem: FileProblem(errno: errno))
        }
        return url
    }

    // MARK: - Transport

    /// What the folder holds. Reads the bundles not pulled yet (pull first and this reads nothing).
    public func versionVector(remembered: [String: String]) async throws -> VersionVector {
        let listing = try list(remembered)
        for (key, url) in listing.unread[listing.pulled...] {
            var stamp: FileStamp?
            guard let (bundle, sealed) = try? read(url, displayName: key, stamp: &stamp) else { continue }
            known.formUnion(DotRanges(accepted(bundle.changes, sealed: sealed).map(\.dot)))
        }
        return known.contiguous
    }

    /// One bundle not applied before, as a page whose checkpoint records it; a bundle that cannot
    /// be read is skipped with a warning. One found invalid is recorded too (``InvalidMark``), so
    /// later syncs skip it unread until it changes; one that could not be read at all, or holds a
    /// change refused against this machine's clock, is tried again next sync. Memory follows the
    /// largest bundle, not the folder.
    public func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        let listing = try list(remembered)
        var index = max(Int(cursor.position), listing.pulled)
        defer { self.listing?.pulled = index }
        while index < listing.unread.count {
            let (key, url) = listing.unread[index]
            index += 1
            let bundle: ChangeBundle, sealed: Bool
            var stamp: FileStamp?
            do {
                (bundle, sealed) = try read(url, displayName: key, stamp: &stamp)
            } catch SyncError.libraryEncrypted {
                throw SyncError.libraryEncrypted(place: directory.path)
            } catch let error as SyncError {
                problems.append(error)
                if let stamp, case .bundleInvalid(_, let defect) = error, InvalidMark.remembers(defect) {
                    marks[key] = InvalidMark(stamp: stamp, defect: defect.description).encoded
                }
                continue
            }
            for (id, name) in bundle.names { if let replica = ReplicaID(id) { names[replica] = name } }
            let taken = accepted(bundle.changes, sealed: sealed)
            known.formUnion(DotRanges(taken.map(\.dot)))
            var checkpoint = takeMarks()
            if taken.count == bundle.changes.count {
                checkpoint[key] = WireJSON.encodeCovers(bundle.covers)
            } else {
                // Not recorded as read: it is reported each sync until its writer seals it.
                problems.append(.bundleInvalid(file: key, defect: .plaintextAfterEncryption(changes: bundle.changes.count - taken.count)))
            }
            return PulledPage(changes: taken.filter { !vector.covers($0.dot) }, checkpoint: checkpoint,
                              next: index < listing.unread.count ? PullCursor(position: Int64(index)) : nil,
                              origin: key)
        }
        return PulledPage(changes: [], checkpoint: takeMarks(), next: nil)
    }

    /// The changes of a bundle this replica may apply: all of a sealed one, and of a plaintext
    /// one in an encrypted library only those written before it was encrypted
    /// (``SealedBounds``), so that a folder's host cannot add changes by writing them in the clear.
    private func accepted(_ changes: [Change], sealed: Bool) -> [Change] {
        guard let keys, !sealed else { return changes }
        return changes.filter { keys.acceptsPlaintext($0.dot) }
    }

    /// The invalid bundles not recorded yet, for a page's checkpoint to record.
    private func takeMarks() -> [String: String] {
        defer { marks = [:] }
        return marks
    }

    public func warnings() async -> [SyncError] { problems }

    public func replicaNames() async throws -> [ReplicaID: String] { names }

    /// Writes `changes` as a new bundle in this replica's subfolder, or as several when its JSON
    /// would pass `WireLimits.pageBytes`; the receipt's checkpoint records them, so this replica
    /// never reads them back.
    ///
    /// Changes the folder holds already are left out: the folder's version vector counts only
    /// counters with no gap below them, so changes past a gap are offered again on every sync,
    /// and this keeps them from being written again each time.
    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt {
        let held = known
        let offered = changes.count
        let changes = changes.filter { !held.contains($0.dot) }
        guard !changes.isEmpty else { return PushReceipt(duplicates: offered) }
        var checkpoint: [String: String] = [:]
        try writeBundles(changes[...], names: names, checkpoint: &checkpoint)
        return PushReceipt(applied: changes.count, duplicates: offered - changes.count, checkpoint: checkpoint)
    }

    /// Writes `changes` as one bundle, or halves them while its JSON would pass
    /// `WireLimits.pageBytes`, recording each bundle written in `checkpoint`.
    private func writeBundles(_ changes: ArraySlice<Change>, names: [ReplicaID: String], checkpoint: inout [String: String]) throws {
        let bundle = ChangeBundle(replica: replica, created: UInt64(Date().timeIntervalSince1970 * 1000),
                                  names: names, changes: Array(changes))
        let json = WireJSON.encode(bundle)
        if json.count > pageBytes, changes.count > 1, Array(changes).batchSafeCut(atMost: changes.count / 2) < changes.count {
            // Halves never cut a signed batch (each is checked whole).
            let middle = changes.startIndex + Array(changes).batchSafeCut(atMost: changes.count / 2)
            try writeBundles(changes[..<middle], names: names, checkpoint: &checkpoint)
            try writeBundles(changes[middle...], names: names, checkpoint: &checkpoint)
            return
        }
        let (data, sha) = try keys.map { try BundleCodec.seal(bundle, json: json, under: $0.sealing) } ?? BundleCodec.compress(json)
        let folder = directory.appendingPathComponent(replica.rawValue)
        let name = String(format: "%013llu", bundle.created) + "-" + sha + "." + Self.fileExtension
        try Self.writeAtomically(data, to: folder, name: name)
        bundlesWritten += 1
        known.formUnion(DotRanges(changes.map(\.dot)))
        checkpoint[replica.rawValue + "/" + name] = WireJSON.encodeCovers(bundle.covers)
    }

    // MARK: - Reading the folder

    /// Lists every replica's subfolder once: bundles `remembered` count as known without being
    /// read; the rest are to pull.
    private func list(_ remembered: [String: String]) throws -> Listing {
        if let listing { return listing }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw SyncError.folder(path: directory.path, action: .list, problem: Self.problem(error))
        }
        var unread: [(key: String, url: URL)] = []
        for entry in entries.sorted() where ReplicaID(entry) != nil {
            let folder = directory.appendingPathComponent(entry)
            let files: [String]
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            } catch {
                problems.append(.folder(path: folder.path, action: .listReplica, problem: Self.listingProblem(folder.path, error)))
                continue
            }
            for file in files.sorted() where !file.hasPrefix(".") {
                let key = entry + "/" + file
                if file == FolderMaintenance.vectorFileName || file == PublishedKeys.fileName { continue }
                if file == OriginalsManifest.fileName || file == FolderOriginals.folderName { continue }
                if file.hasSuffix("." + SnapshotFile.fileExtension) {
                    // What a snapshot holds the folder holds: nobody needs it written again. Only
                    // what this store found its body to hold counts (a header's claim could
                    // keep this replica from ever writing its own changes here).
                    if let held = FolderMaintenance.checkedVector(remembered[FolderMaintenance.checkedKey(key)],
                                                                  of: folder.appendingPathComponent(file)) {
                        known.formUnion(DotRanges(covering: held))
                    }
                    continue
                }
                if let recorded = remembered[key] {
                    if let mark = InvalidMark(recorded) {
                        // Skipped unread while it is the very file found invalid.
                        if FileStamp(path: folder.path + "/" + file) == mark.stamp {
                            problems.append(.bundleInvalid(file: key, defect: .stillInvalid(detail: mark.defect)))
                            continue
                        }
                    } else if let covers = Self.decodeCovers(recorded) {
                        known.formUnion(covers)
                        continue
                    }
                }
                unread.append((key, folder.appendingPathComponent(file)))
            }
        }
        let listing = Listing(unread: unread)
        self.listing = listing
        return listing
    }

    /// Reads and decodes the bundle at `url`, setting `stamp` to the file's size and time as
    /// opened. A file larger than `BundleCodec.maxCompressedBytes` (sparse or not) is refused by
    /// its size, without reading it, and anything but a regular file (a device, a FIFO) unread.
    private func read(_ url: URL, displayName: String, stamp: inout FileStamp?) throws -> (bundle: ChangeBundle, sealed: Bool) {
        let name = url.lastPathComponent
        let stem = name.hasSuffix("." + Self.fileExtension) ? String(name.dropLast(Self.fileExtension.count + 1)) : nil
        let parts = stem?.split(separator: "-") ?? []
        guard let sha = parts.last.map(String.init), sha.count == 64,
              sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw SyncError.bundleInvalid(file: displayName, defect: .unexpectedName)
        }
        // Non-blocking, so a FIFO named like a bundle cannot hold the sync in open(2).
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SyncError.bundleInvalid(file: displayName, defect: .unreadable(FileProblem(errno: errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SyncError.bundleInvalid(file: displayName, defect: .unreadable(FileProblem(errno: errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw SyncError.bundleInvalid(file: displayName, defect: .notARegularFile) }
        stamp = FileStamp(info)
        let size = Int(info.st_size)
        guard size <= BundleCodec.maxCompressedBytes else {
            throw SyncError.bundleInvalid(file: displayName, defect: .tooLarge(limit: BundleCodec.maxCompressedBytes))
        }
        // As many bytes as the file held when opened: one that grows meanwhile fails its checksum.
        var data = Data(count: size)
        let read = data.withUnsafeMutableBytes { buffer -> Int in
            var offset = 0
            while offset < size {
                let count = Glibc.read(fd, buffer.baseAddress! + offset, size - offset)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return -Int(errno) }
                if count == 0 { break }
                offset += count
            }
            return offset
        }
        guard read >= 0 else { throw SyncError.bundleInvalid(file: displayName, defect: .unreadable(FileProblem(errno: Int32(-read)))) }
        data.count = read
        bundlesRead += 1
        let placement = parts.count == 2 ? UInt64(parts[0]).map {
            SealedBundle.Placement(replica: url.deletingLastPathComponent().lastPathComponent, created: $0)
        } : nil
        return try BundleCodec.decode(data, expectedSHA256: sha, file: displayName, keys: keys,
                                      placement: placement ?? SealedBundle.Placement(replica: "", created: 0))
    }

    /// The errno behind a Foundation file error.
    private static func problem(_ error: any Error) -> FileProblem {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return FileProblem(errno: Int32(error.code)) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return FileProblem(errno: Int32(underlying.code))
        }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileReadNoSuchFile, .fileNoSuchFile: return .parentMissing
        case .fileReadNoPermission, .fileWriteNoPermission: return .permissionDenied
        default: return .system(code: EIO)
        }
    }

    /// Why a replica's entry in the folder cannot be listed: what stands there, else the errno.
    private static func listingProblem(_ path: String, _ error: any Error) -> FileProblem {
        var info = stat()
        guard lstat(path, &info) == 0 else { return problem(error) }
        switch info.st_mode & S_IFMT {
        case S_IFLNK where stat(path, &info) != 0: return .brokenLink
        case S_IFREG: return .isAFile
        default: return problem(error)
        }
    }

    // MARK: - Writing

    /// Writes through a descriptor of this replica's own subfolder, opened without following a
    /// link: whoever shares the folder could have put a link in its place (to anywhere), and a
    /// check of the path before writing could be raced. Names are then resolved in that folder
    /// only (`openat`, `renameat`).
    static func writeAtomically(_ data: Data, to folder: URL, name: String) throws {
        try writeAtomically(to: folder, name: name) { fd in
            try data.withUnsafeBytes { raw in try Self.writeAll(fd, raw, folder: folder) }
        }
    }

    /// Writes `count` bytes at `raw` to `fd`, whole.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, folder: URL) throws {
        var offset = 0
        while offset < raw.count {
            let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SyncError.folder(path: folder.path, action: .write, problem: FileProblem(errno: errno == 0 ? EIO : errno)) }
            offset += count
        }
    }

    /// `writeAtomically` for contents that `body` writes to the temporary file's descriptor (a
    /// snapshot, streamed rather than held in memory).
    static func writeAtomically(to folder: URL, name: String, body: (Int32) throws -> Void) throws {
        if mkdir(folder.path, 0o755) != 0, errno != EEXIST {
            throw SyncError.folder(path: folder.path, action: .createSubfolder, problem: FileProblem(errno: errno))
        }
        let directoryFD = open(folder.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directoryFD >= 0 else {
            let code = errno
            var info = stat()
            let problem: FileProblem = lstat(folder.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK ? .isASymlink
                : code == ENOTDIR ? .isAFile : FileProblem(errno: code)
            throw SyncError.folder(path: folder.path, action: .createSubfolder, problem: problem)
        }
        defer { close(directoryFD) }
        removeAbandonedTemporaries(in: directoryFD)
        let temporary = ".tmp-\(UUID().uuidString)"
        let fd = openat(directoryFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SyncError.folder(path: folder.path, action: .write, problem: FileProblem(errno: errno)) }
        var failure: Int32 = 0
        do {
            try body(fd)
            if fsync(fd) != 0 { failure = errno == 0 ? EIO : errno }
        } catch {
            close(fd)
            unlinkat(directoryFD, temporary, 0)
            throw error
        }
        close(fd)
        if failure == 0, renameat(directoryFD, temporary, directoryFD, name) != 0 { failure = errno }
        guard failure == 0 else {
            unlinkat(directoryFD, temporary, 0)
            throw SyncError.folder(path: folder.path, action: .write, problem: FileProblem(errno: failure))
        }
        fsync(directoryFD)
    }

    /// A sync killed mid-write leaves its temp file behind; only this replica writes here, so an
    /// old one is safe to remove (a recent one may belong to a sync running right now). Looks
    /// only inside the folder `directoryFD` is open on.
    private static func removeAbandonedTemporaries(in directoryFD: Int32) {
        let listing = dup(directoryFD)
        guard listing >= 0, let stream = fdopendir(listing) else { return }
        defer { closedir(stream) }
        var stale: [String] = []
        let now = time(nil)
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var info = stat()
            guard name.hasPrefix(".tmp-"), fstatat(directoryFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if now - info.st_mtim.tv_sec > 600 { stale.append(name) }
        }
        for name in stale { unlinkat(directoryFD, name, 0) }
    }

    static func decodeCovers(_ text: String) -> DotRanges? {
        (try? WireJSON.decodeCovers(Array(text.utf8))).flatMap(DotRanges.init(encoded:))
    }
}

/// A file's size and modification time (ns), as `stat` gives them: what tells a bundle found
/// invalid from the file that replaces it.
struct FileStamp: Equatable {
    var size: Int64
    var modified: Int64
}

extension FileStamp {
    init(_ info: stat) {
        self.init(size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The stamp of the file at `path` (following links), or nil when it cannot be read.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}

/// What a folder's checkpoint records for a bundle found invalid, in place of what a bundle
/// covers: `invalid <size> <mtime ns> <why>`. It is local sync state, never replicated.
struct InvalidMark: Equatable {
    var stamp: FileStamp
    /// Why the bundle was refused, as the warning first said it.
    var defect: String
}

extension InvalidMark {
    /// The mark `text` encodes; nil for anything else (what a bundle covers, among it).
    init?(_ text: String) {
        let parts = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "invalid", let size = Int64(parts[1]), let modified = Int64(parts[2]) else { return nil }
        self.init(stamp: FileStamp(size: size, modified: modified), defect: String(parts[3]))
    }

    var encoded: String { "invalid \(stamp.size) \(stamp.modified) \(defect)" }

    /// Whether a bundle refused for `defect` stays refused while the file is unchanged: not
    /// when reading it failed (that may pass), nor for a change refused against this machine's
    /// clock (which moves on).
    static func remembers(_ defect: BundleDefect) -> Bool {
        switch defect {
        case .unreadable, .unexpectedName, .invalidChange, .stillInvalid, .unknownKey, .plaintextAfterEncryption: false
        default: true
        }
    }
}
