public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// An encrypted library's published keys in a shared folder: each replica's `REPLICA/keys.json`
/// (``PublishedKeys``), written only by that replica, like its bundles.
public enum FolderKeys {
    /// The largest `keys.json` read: thousands of rotations fit in far less.
    static let maxFileBytes = 1 << 20

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
        let everyone = read(directory)
        // This replica's own keys.json counts too: a store whose key file is gone must not
        // write plaintext where it wrote sealed bundles before.
        guard var keyring = try KeyFile.load(for: store) else {
            if !everyone.isEmpty { throw SyncError.libraryEncrypted(place: directory.path) }
            return nil
        }
        let published = everyone.filter { $0.replica != store.replicaID.rawValue }
        if keyring.learn(from: published) { try KeyFile.save(keyring, for: store) }
        let theirs = Set(published.flatMap(\.keys))
        if !theirs.isEmpty, theirs.isDisjoint(with: keyring.keys.map(\.id)) {
            throw SyncError.wrongKey(place: directory.path, held: keyring.keys.map(\.id), published: theirs.sorted())
        }
        return keyring
    }

    /// Writes this replica's `keys.json` when it does not already say what `keyring` holds.
    public static func publish(_ keyring: Keyring, replica: ReplicaID, in directory: URL) throws {
        let folder = directory.appendingPathComponent(replica.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(keyring.published(by: replica.rawValue))
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
                      let version = LibraryEncryption.formatVersion(of: data) else { continue }
                versions[replica] = version
                break
            }
        }
        return versions
    }
}
