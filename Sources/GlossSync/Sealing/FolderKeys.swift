public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// An encrypted library's published keys in a shared folder: each replica's `REPLICA/keys.json`
/// (``PublishedKeys``), written only by that replica, like its bundles.
public enum FolderKeys {
    /// The largest `keys.json` read.
    static let maxFileBytes = PublishedKeys.maxBytes

    /// Every replica's published keys in the folder at `directory`; files that do not read are
    /// passed over (they could only name keys, never give one).
    public static func read(_ directory: URL) -> [PublishedKeys] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var sets: [PublishedKeys] = []
        for entry in entries.sorted() where ReplicaID(entry) != nil {
            let path = directory.path + "/" + entry + "/" + PublishedKeys.fileName
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxFileBytes,
                  let data = FileManager.default.contents(atPath: path),
                  let set = try? JSONDecoder().decode(PublishedKeys.self, from: data),
                  set.format == PublishedKeys.formatName, set.replica == entry else { continue }
            sets.append(set)
        }
        return sets
    }

    /// The keyring a sync of `store` with the folder at `directory` runs with: the store's own,
    /// having learned the keys later rotations published there (saved to the key file). Nil for
    /// a library that is not encrypted, here or in the folder.
    /// - Throws: `SyncError.libraryEncrypted` when the folder's library is encrypted and the
    ///   store holds no key; `.wrongKey` when the folder's keys are none of the store's. Both
    ///   before anything is read or written.
    public static func keyring(for store: Store, syncingWith directory: URL) throws -> Keyring? {
        try Keyring.forSync(of: store, published: read(directory), place: directory.path)
    }

    /// Writes this replica's `keys.json` when it does not already say what `keyring` holds.
    public static func publish(_ keyring: Keyring, replica: ReplicaID, in directory: URL) throws {
        let folder = directory.appendingPathComponent(replica.rawValue)
        let data = try keyring.published(by: replica.rawValue).json()
        if FileManager.default.contents(atPath: folder.path + "/" + PublishedKeys.fileName) == data { return }
        try FolderTransport.writeAtomically(data, to: folder, name: PublishedKeys.fileName)
    }
}

extension FolderKeys {
    /// Per replica with bundles in the folder, the format version of its newest bundle: 1 for
    /// one still writing plaintext, 2 for sealed. A bundle that does not read is passed over.
    static func newestBundleVersions(_ directory: URL) -> [ReplicaID: Int] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var versions: [ReplicaID: Int] = [:]
        for entry in entries {
            guard let replica = ReplicaID(entry),
                  let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/" + entry) else { continue }
            for file in files.filter({ $0.hasSuffix("." + FolderTransport.fileExtension) && !$0.hasPrefix(".") }).sorted().reversed() {
                guard let data = FileManager.default.contents(atPath: directory.path + "/" + entry + "/" + file),
                      let version = BundleCodec.formatVersion(of: data) else { continue }
                versions[replica] = version
                break
            }
        }
        return versions
    }
}
