public import Foundation
public import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Where a store keeps its library keys: beside the database, as `<store>.keys`, readable and
/// writable by its owner only (0600), written atomically. Never in a bundle, a log line or an
/// export; a store without the file is not encrypted.
public enum KeyFile {
    struct Stored: Codable {
        struct Entry: Codable {
            var id: String
            var key: String
        }
        var format = "gloss-key-file"
        var version = 1
        var keys: [Entry]
        var current: String
        var rotations: [KeyRotation]
        var passphrase: PassphraseWrap?
        var plaintextBounds: SealedBounds?
        var boundsPending: Bool?
    }

    /// The key file of the store at `storePath`.
    public static func path(for storePath: String) -> String { storePath + ".keys" }

    /// The store's keyring; nil when the library is not encrypted (no key file).
    /// - Throws: `SyncError.keyFile` when the file is there but unreadable, malformed, or open to
    ///   other users.
    public static func load(for store: Store) throws -> Keyring? {
        try load(path: path(for: store.path))
    }

    static func load(path: String) throws -> Keyring? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw SyncError.keyFile(path: path, problem: String(cString: strerror(errno)))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SyncError.keyFile(path: path, problem: "other users may read it (mode \(String(info.st_mode & 0o777, radix: 8))); run 'chmod 600 \(path)'")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.keyFile(path: path, problem: "it cannot be read")
        }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.format == "gloss-key-file", stored.version == 1,
              !stored.keys.isEmpty else {
            throw SyncError.keyFile(path: path, problem: "it is not a gloss key file (restore it from a backup, or join again with the recovery key)")
        }
        var keys: [LibraryKey] = []
        for entry in stored.keys {
            guard let bytes = Data(base64Encoded: entry.key), let key = LibraryKey(bytes: bytes), key.id == entry.id else {
                throw SyncError.keyFile(path: path, problem: "the key it names \(entry.id) is damaged (restore it from a backup, or join again with the recovery key)")
            }
            keys.append(key)
        }
        guard keys.contains(where: { $0.id == stored.current }) else {
            throw SyncError.keyFile(path: path, problem: "its current key \(stored.current) is not among its keys")
        }
        var keyring = Keyring(keys: keys, current: stored.current, rotations: stored.rotations, passphrase: stored.passphrase)
        if let sealed = stored.plaintextBounds, let bounds = sealed.open(with: keyring) {
            keyring.sealedBounds = sealed
            keyring.plaintextBounds = bounds
        }
        keyring.boundsPending = stored.boundsPending ?? false
        return keyring
    }

    /// Writes `keyring` as the store's key file, replacing any: owner-only from the start
    /// (created 0600, never widened), synced, then renamed into place.
    public static func save(_ keyring: Keyring, for store: Store) throws {
        try save(keyring, path: path(for: store.path))
    }

    static func save(_ keyring: Keyring, path: String) throws {
        let stored = Stored(keys: keyring.keys.map { key in
            Stored.Entry(id: key.id, key: key.withBytes { Data($0).base64EncodedString() })
        }, current: keyring.current, rotations: keyring.rotations, passphrase: keyring.passphrase,
           plaintextBounds: keyring.sealedBounds, boundsPending: keyring.boundsPending ? true : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(stored)
        let temporary = path + ".tmp-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SyncError.keyFile(path: path, problem: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { failure = errno == 0 ? EIO : errno; return }
                offset += count
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw SyncError.keyFile(path: path, problem: String(cString: strerror(failure)))
        }
    }
}

extension Keyring {
    init(keys: [LibraryKey], current: String, rotations: [KeyRotation], passphrase: PassphraseWrap?) {
        self.init(first: keys[0], passphrase: passphrase)
        self.keys = keys
        self.current = current
        self.rotations = rotations
    }
}
