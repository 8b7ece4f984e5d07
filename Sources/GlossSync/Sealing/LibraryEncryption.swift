public import Foundation
public import GlossCore

/// What a person does with an encrypted library: enable it, join it on another machine, rotate
/// its key, see where it stands, and seal a folder's old plaintext bundles. Each either does all
/// it says or changes nothing.
public enum LibraryEncryption {
    /// Makes the library key, saves it beside the store, and returns it with its recovery key
    /// (to show once). With `passphrase`, the key is also wrapped under it (scrypt at `cost`),
    /// and that wrap is published so another replica can join with the passphrase.
    public static func enable(_ store: Store, passphrase: String? = nil,
                              cost: @autoclosure () throws -> PassphraseWrap.Cost = try .tuned()) throws -> (keyring: Keyring, recoveryKey: String) {
        if let existing = try KeyFile.load(for: store) { throw EncryptionError.alreadyEncrypted(key: existing.first.id) }
        let key = LibraryKey.generate()
        let wrap = try passphrase.map { try PassphraseWrap.wrap(key, passphrase: $0, cost: try cost()) }
        var keyring = Keyring(first: key, passphrase: wrap)
        keyring.boundsPending = true
        try KeyFile.save(keyring, for: store)
        return (keyring, RecoveryKey.text(of: key))
    }

    /// How a replica joins.
    public enum Credential: Sendable {
        case recoveryKey(String)
        case passphrase(String)
    }

    /// Joins the library on this store: with a recovery key, or with the passphrase and the
    /// folder whose published keys hold its wrap. Given a folder, the key is checked against it
    /// (and learns its rotations) before anything is saved.
    public static func join(_ store: Store, with credential: Credential, folder: String?) throws -> Keyring {
        let source = folder.map { path in
            let directory = URL(fileURLWithPath: UserHome.expandingTilde(path)).standardizedFileURL
            return (place: directory.path, published: FolderKeys.read(directory))
        }
        return try join(store, with: credential, source: source)
    }

    /// ``join(_:with:folder:)`` where `place` is a shared folder's path or a server's http(s)
    /// URL, whose `/v1/keys` is read with `token` (else the token saved for the server).
    /// - Throws: also `SyncError` when the server cannot be asked (`.noToken` without a token).
    public static func join(_ store: Store, with credential: Credential, place: String?, token: String? = nil) async throws -> Keyring {
        guard let place, case .server(let url) = try SyncTarget(place) else {
            return try join(store, with: credential, folder: place)
        }
        let server = url.absoluteString
        guard let presented = try token ?? store.savedRemote(server)?.token else { throw SyncError.noToken(url: server) }
        let published = try await HTTPTransport(url: server, token: presented).publishedKeys()
        return try join(store, with: credential, source: (place: server, published: published))
    }

    /// Joins with what the replicas of `source` (a folder or a server) published, when given.
    private static func join(_ store: Store, with credential: Credential,
                             source: (place: String, published: [PublishedKeys])?) throws -> Keyring {
        let published = source?.published.filter { $0.replica != store.replicaID.rawValue } ?? []
        let key: LibraryKey
        switch credential {
        case .recoveryKey(let text):
            do {
                key = try RecoveryKey.key(from: text)
            } catch {
                throw EncryptionError.recoveryKey(error)
            }
        case .passphrase(let passphrase):
            guard let source else { throw EncryptionError.passphraseNeedsFolder }
            let wraps = PassphraseWrap.likeliestFirst(published.compactMap(\.passphrase))
            guard !wraps.isEmpty else {
                throw published.isEmpty ? EncryptionError.folderNotEncrypted(place: source.place)
                    : EncryptionError.noPassphraseWrap(place: source.place)
            }
            var found: LibraryKey?
            for wrap in wraps {
                if let opened = try? wrap.unwrap(passphrase: passphrase) { found = opened; break }
            }
            guard let found else { throw EncryptionError.wrongPassphrase(place: source.place) }
            key = found
        }
        if let existing = try KeyFile.load(for: store) {
            guard existing.key(key.id) != nil else { throw EncryptionError.alreadyEncrypted(key: existing.first.id) }
            return existing
        }
        var keyring = Keyring(first: key)
        if let source {
            let theirs = Set(published.flatMap(\.keys))
            guard !theirs.isEmpty else { throw EncryptionError.folderNotEncrypted(place: source.place) }
            _ = keyring.learn(from: published)
            guard !theirs.isDisjoint(with: keyring.keys.map(\.id)) else {
                throw EncryptionError.keyNotInFolder(key: key.id, place: source.place, published: theirs.sorted())
            }
        }
        try KeyFile.save(keyring, for: store)
        return keyring
    }

    /// A new key for new writes; the old ones are kept for reading. Other replicas learn it,
    /// sealed under the old key, at their next sync through a folder this store syncs with.
    public static func rotate(_ store: Store, now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws -> KeyRotation {
        guard var keyring = try KeyFile.load(for: store) else { throw EncryptionError.notEncrypted }
        let rotation = try keyring.rotate(now: now)
        try KeyFile.save(keyring, for: store)
        return rotation
    }

    /// Where the library stands: its keys (ids only), and, when it is encrypted, for each shared
    /// folder this store synced with, the replicas whose newest bundle there is still plaintext.
    public static func status(_ store: Store) throws -> EncryptionStatus {
        let keyring = try KeyFile.load(for: store)
        var folders: [EncryptionStatus.Folder] = []
        let names = try store.replicaNames()
        for place in try store.lastSyncs().keys.sorted() where keyring != nil && place.hasPrefix("/") {
            let directory = URL(fileURLWithPath: place)
            guard FileManager.default.fileExists(atPath: directory.path) else { continue }
            let writers = FolderKeys.newestBundleVersions(directory)
            let plaintext = writers.filter { $0.value < SealedBundle.version }.keys.sorted { $0.rawValue < $1.rawValue }
            folders.append(.init(path: place, encrypted: !FolderKeys.read(directory).isEmpty,
                                 plaintextWriters: plaintext.map { names[$0] ?? $0.short }))
        }
        return EncryptionStatus(encrypted: keyring != nil, keys: keyring?.keys.map(\.id) ?? [], current: keyring?.current,
                                passphrase: keyring?.passphrase != nil, keyFile: KeyFile.path(for: store.path), folders: folders)
    }
}

/// `gloss encryption status`.
public struct EncryptionStatus: Hashable, Sendable, Codable {
    public struct Folder: Hashable, Sendable, Codable {
        public var path: String
        /// Whether any replica published keys there.
        public var encrypted: Bool
        /// Replicas (by name) whose newest bundle in the folder is plaintext.
        public var plaintextWriters: [String]
    }
    public var encrypted: Bool
    /// Ids of the keys held, the first one first. Never a key.
    public var keys: [String]
    /// The id of the key new writes are sealed under.
    public var current: String?
    /// Whether the first key is also wrapped under a passphrase.
    public var passphrase: Bool
    public var keyFile: String
    public var folders: [Folder]
}

/// Why an encryption command changed nothing.
public enum EncryptionError: Error, Equatable, CustomStringConvertible {
    case alreadyEncrypted(key: String)
    case notEncrypted
    case recoveryKey(RecoveryKey.Problem)
    case passphraseNeedsFolder
    case folderNotEncrypted(place: String)
    case noPassphraseWrap(place: String)
    case wrongPassphrase(place: String)
    case keyNotInFolder(key: String, place: String, published: [String])

    public var description: String {
        switch self {
        case .alreadyEncrypted(let key):
            "this library is already encrypted (its first key is \(key)), with another key than the one given. 'gloss encryption status' shows its keys; nothing was changed"
        case .notEncrypted:
            "this library is not encrypted: 'gloss encryption enable' encrypts it, or 'gloss encryption join' joins an encrypted one"
        case .recoveryKey(let problem):
            "\(problem); nothing was changed"
        case .passphraseNeedsFolder:
            "joining with a passphrase needs the shared folder or server the library syncs through (its published keys hold the wrapped key): give its path or URL"
        case .folderNotEncrypted(let place):
            "no replica has published keys at \(place), so it holds no encrypted library (has the replica that ran 'gloss encryption enable' synced there yet?); nothing was changed"
        case .noPassphraseWrap(let place):
            "the library at \(place) has no passphrase (it was enabled without one): join with the recovery key; nothing was changed"
        case .wrongPassphrase(let place):
            "that passphrase does not open the library key published at \(place): it is not the library's passphrase; nothing was changed"
        case .keyNotInFolder(let key, let place, let published):
            "that recovery key (key \(key)) is not a key of the library at \(place), which is sealed with \(published.joined(separator: ", ")): it is another library's; nothing was changed"
        }
    }
}
