public import Foundation
public import GlossCore
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Originals in a shared folder (Schema/Originals.md): each replica whose setting sends them
/// keeps, in its own subfolder, `originals/<file>` per original and `originals.json`, the list of
/// what they are (``OriginalsManifest``), replaced atomically. In the clear a file is
/// `<sha256>.zst`, the zstd-compressed original named by the SHA-256 of its bytes; in an
/// encrypted library it is `<sha256 of the file>.sealed`, sealed under the library key, and the
/// list is sealed too, so the folder shows neither pages nor which articles they belong to.
///
/// The folder is anyone's to write: a file is read only when it is a regular file no larger
/// than ``OriginalsLimits`` allow, and what it holds is kept only when it has the SHA-256 it is
/// named and listed by. A replica takes originals from the other replicas' subfolders and
/// writes only into its own. Make a new one for each sync.
public actor FolderOriginals: OriginalsTransport {
    public nonisolated let directory: URL
    let replica: ReplicaID
    let keys: Keyring?
    /// What this replica's list says, by article (read by ``originalsOffer()``).
    private var own: [String: OriginalEntry] = [:]
    /// Whether the list must be written again.
    private var changed = false

    public static let folderName = "originals"

    public init(directory: URL, replica: ReplicaID, keys: Keyring?) {
        self.directory = directory
        self.replica = replica
        self.keys = keys
    }

    private var ownFolder: URL { directory.appendingPathComponent(replica.rawValue) }

    // MARK: - OriginalsTransport

    public func originalsOffer() async throws -> OriginalsOffer? {
        var offer = OriginalsOffer(held: [:], offered: [], replaces: true)
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        for entry in entries where ReplicaID(entry) != nil {
            let file = entry + "/" + OriginalsManifest.fileName
            let path = directory.path + "/" + file
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let listed: [OriginalEntry]
            do throws(OriginalsProblem) {
                let data = try Self.readFile(path, limit: OriginalsLimits.maxManifestBytes)
                guard (try? WireJSON.Reader.check(data)) != nil,
                      let manifest = try? JSONDecoder().decode(OriginalsManifest.self, from: Data(data)) else {
                    throw OriginalsProblem("it is not a list of originals")
                }
                guard manifest.replica == entry else { throw OriginalsProblem("it is replica \(manifest.replica.prefix(8))'s list, in another replica's folder") }
                listed = try manifest.entries(keys: keys)
            } catch {
                if entry == replica.rawValue {
                    changed = true  // written again, whole, by this sync when it sends
                } else {
                    offer.warnings.append(.originalsListInvalid(file: path, problem: error.description))
                }
                continue
            }
            if entry == replica.rawValue {
                for item in listed { own[item.article] = item }
                continue
            }
            for item in listed {
                offer.offered.append(OfferedOriginal(entry: item, origin: entry + "/" + Self.folderName + "/" + (item.file ?? "?"), locator: entry))
                offer.held[item.article] = item.sha256
            }
        }
        for (article, item) in own { offer.held[article] = item.sha256 }
        return offer
    }

    public func fetchOriginal(_ offered: OfferedOriginal) async throws -> FetchedOriginal {
        let entry = offered.entry
        guard ReplicaID(offered.locator) != nil, let file = entry.file, OriginalPacking.isFileName(file) else {
            return .refused("its list names no file gloss writes")
        }
        let path = directory.path + "/" + offered.locator + "/" + Self.folderName + "/" + file
        do throws(OriginalsProblem) {
            let data = try Self.readFile(path, limit: OriginalsLimits.maxCompressedBytes)
            if file.hasSuffix(".sealed") {
                guard Self.hex(SHA256.hash(data: data)) + ".sealed" == file else {
                    throw OriginalsProblem("its bytes do not have the SHA-256 it is named by")
                }
            } else if file != entry.sha256 + ".zst" {
                throw OriginalsProblem("its file is named for another original")
            }
            return .bytes(try OriginalPacking.unpack(data, key: entry.key, entry: entry, keys: keys))
        } catch {
            return .refused(error.description)
        }
    }

    public func sendOriginal(_ record: OriginalRecord, bytes: [UInt8]) async throws -> Bool {
        let (data, key) = try OriginalPacking.pack(bytes, sha256: record.sha256, keys: keys)
        guard data.count <= OriginalsLimits.maxCompressedBytes else {
            throw OriginalsProblem("it is \(data.count) bytes compressed, more than the \(OriginalsLimits.maxCompressedBytes) an original may take to travel")
        }
        let name = key == nil ? record.sha256 + ".zst" : Self.hex(SHA256.hash(data: data)) + ".sealed"
        try makeOwnFolder()
        try FolderTransport.writeAtomically(Data(data), to: ownFolder.appendingPathComponent(Self.folderName), name: name)
        var entry = OriginalEntry(record)
        entry.file = name
        entry.key = key
        own[record.articleID] = entry
        changed = true
        return true
    }

    /// Writes this replica's list again when it changed: what it sent, less the originals of
    /// articles it no longer holds (or holds another original of), then removes the files the
    /// list no longer names.
    public func finishSending(held: [OriginalRecord]) async throws {
        let kept = Dictionary(uniqueKeysWithValues: held.map { ($0.articleID, $0.sha256) })
        for (article, entry) in own where kept[article] != entry.sha256 {
            own[article] = nil
            changed = true
        }
        guard changed else { return }
        try makeOwnFolder()
        let manifest = try OriginalsManifest(replica: replica.rawValue, entries: own.values.sorted { $0.article < $1.article }, keys: keys)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try FolderTransport.writeAtomically(try encoder.encode(manifest), to: ownFolder, name: OriginalsManifest.fileName)
        changed = false
        let named = Set(own.values.compactMap(\.file))
        let folder = ownFolder.appendingPathComponent(Self.folderName)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where OriginalPacking.isFileName(file) && !named.contains(file) {
            unlink(folder.path + "/" + file)
        }
    }

    /// Removes the list of originals in `replicaFolder` when it is in the clear, and the
    /// originals in the clear beside it; returns how many originals went. For a library just
    /// encrypted (`gloss encryption seal-folder`): a sync with the setting on writes them sealed.
    static func removeInTheClear(in replicaFolder: URL) -> Int {
        let list = replicaFolder.appendingPathComponent(OriginalsManifest.fileName).path
        let folder = replicaFolder.appendingPathComponent(folderName).path
        if let data = try? readFile(list, limit: OriginalsLimits.maxManifestBytes),
           let manifest = try? JSONDecoder().decode(OriginalsManifest.self, from: Data(data)), manifest.sealed == nil {
            unlink(list)
        }
        var removed = 0
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".zst") && OriginalPacking.isFileName(file) {
            if unlink(folder + "/" + file) == 0 { removed += 1 }
        }
        return removed
    }

    // MARK: - Files

    /// This replica's subfolder, made when missing; a link in its place is refused (the
    /// originals folder below it is then opened without following one).
    private func makeOwnFolder() throws {
        if mkdir(ownFolder.path, 0o755) != 0, errno != EEXIST {
            throw SyncError.folder(path: ownFolder.path, action: .createSubfolder, problem: FileProblem(errno: errno))
        }
        var info = stat()
        guard lstat(ownFolder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw SyncError.folder(path: ownFolder.path, action: .createSubfolder, problem: .isASymlink)
        }
    }

    /// The bytes of the regular file at `path`, refused unread when it is larger than `limit`,
    /// a link, or not a regular file (a FIFO cannot hold the sync: it is opened non-blocking).
    static func readFile(_ path: String, limit: Int) throws(OriginalsProblem) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw OriginalsProblem("it cannot be read: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw OriginalsProblem("it is not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else { throw OriginalsProblem("it is \(size) bytes, more than the \(limit) read") }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, size - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += count
        }
        bytes.removeLast(size - offset)
        return bytes
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        Hex.string(digest)
    }
}
