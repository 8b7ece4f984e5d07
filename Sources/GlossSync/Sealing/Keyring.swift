public import Foundation
public import GlossCore

/// The keys a replica of an encrypted library holds: the first (whose recovery key a person
/// wrote down), each key a rotation made since, and which one seals new writes.
///
/// A rotation is published as its new key sealed under the key it replaces
/// (``KeyRotation``), so any replica holding an older key learns the newer ones from a folder
/// without being asked anything. Old keys stay, to open what they sealed.
public struct Keyring: Sendable {
    /// Every key held, the first one first.
    public internal(set) var keys: [LibraryKey]
    /// The id of the key new writes are sealed under.
    public internal(set) var current: String
    /// Every rotation known: published, so replicas joining later learn the newer keys.
    public internal(set) var rotations: [KeyRotation]
    /// The first key wrapped under a passphrase, when the library has one: published, so a
    /// replica can join with the passphrase.
    public internal(set) var passphrase: PassphraseWrap?
    /// What the library still takes in the clear (``SealedBounds``), as published, and opened.
    public internal(set) var sealedBounds: SealedBounds?
    public internal(set) var plaintextBounds: VersionVector?

    /// A keyring holding `first` only.
    public init(first: LibraryKey, passphrase: PassphraseWrap? = nil) {
        keys = [first]
        current = first.id
        rotations = []
        self.passphrase = passphrase
    }

    /// True on the replica that encrypted the library until its first sync through a folder
    /// sets the bounds (``SealedBounds``): what it holds after taking in everything written in
    /// the clear so far.
    public internal(set) var boundsPending = false

    /// The key new writes are sealed under.
    public var sealing: LibraryKey { keys.first { $0.id == current } ?? keys[0] }

    /// The key with `id`, when held.
    public func key(_ id: String) -> LibraryKey? { keys.first { $0.id == id } }

    /// The first key: the one a recovery key writes.
    public var first: LibraryKey { keys[0] }

    /// Makes a new key for new writes, sealed under the current one for the other replicas.
    @discardableResult
    public mutating func rotate(now: UInt64) throws -> KeyRotation {
        let next = LibraryKey.generate()
        let rotation = try KeyRotation(sealing: next, under: sealing, created: now)
        keys.append(next)
        rotations.append(rotation)
        current = next.id
        return rotation
    }

    /// Learns what `published` holds that this keyring lacks: keys from rotations sealed under
    /// a key held (repeatedly, so a chain of rotations is followed), the passphrase wrap of the
    /// first key. Returns true when anything was learned.
    public mutating func learn(from published: [PublishedKeys]) -> Bool {
        var learned = false
        var progress = true
        while progress {
            progress = false
            for set in published {
                for rotation in set.rotations where key(rotation.id) == nil {
                    guard let under = key(rotation.by), let next = rotation.open(under: under) else { continue }
                    keys.append(next)
                    progress = true
                }
            }
        }
        for set in published {
            // Only a record that opens, under a key held, to the key it names is kept: anyone who
            // can write a folder could publish one naming an old key with a later time, and the
            // newest record picks the key new writes are sealed under.
            for rotation in set.rotations where !rotations.contains(rotation) {
                guard let under = key(rotation.by), rotation.open(under: under) != nil else { continue }
                rotations.append(rotation)
                learned = true
            }
            if passphrase == nil, let wrap = set.passphrase, wrap.key == first.id {
                passphrase = wrap
                learned = true
            }
        }
        if learnBounds(from: published) { learned = true }
        // New writes go under the newest rotation's key.
        if let newest = rotations.max(by: { ($0.created, $0.id) < ($1.created, $1.id) }), newest.id != current {
            current = newest.id
            learned = true
        }
        return learned
    }

    /// What this replica publishes beside its bundles.
    public func published(by replica: String) -> PublishedKeys {
        var published = PublishedKeys(replica: replica, keys: keys.map(\.id), rotations: rotations, passphrase: passphrase)
        published.plaintextBounds = sealedBounds
        return published
    }
}

/// A rotation as published: the new key sealed under the one it replaces.
public struct KeyRotation: Hashable, Sendable, Codable {
    /// The new key's id.
    public var id: String
    /// The id of the key it is sealed under.
    public var by: String
    /// Milliseconds since 1970.
    public var created: UInt64
    /// The new key's 32 bytes (`Seal`'s box, base64).
    public var sealed: String

    static func associatedData(id: String, by: String, created: UInt64) -> Data {
        Data("gloss key rotation v1 \(id) \(by) \(created)".utf8)
    }

    init(id: String, by: String, created: UInt64, sealed: String) {
        self.id = id
        self.by = by
        self.created = created
        self.sealed = sealed
    }

    init(sealing next: LibraryKey, under key: LibraryKey, created: UInt64) throws {
        let box = try next.withBytes { bytes in
            try Seal.seal(Data(bytes), under: key, binding: Self.associatedData(id: next.id, by: key.id, created: created))
        }
        self.init(id: next.id, by: key.id, created: created, sealed: box.base64EncodedString())
    }

    /// The new key, when `key` opens the record and the key inside has the id it claims.
    func open(under key: LibraryKey) -> LibraryKey? {
        guard let box = Data(base64Encoded: sealed),
              let bytes = Seal.open(box, under: key, binding: Self.associatedData(id: id, by: by, created: created)),
              let next = LibraryKey(bytes: bytes), next.id == id else { return nil }
        return next
    }
}

/// What a replica of an encrypted library publishes (a folder's `REPLICA/keys.json`): the ids of
/// its keys, its rotations and the passphrase wrap. No key is in it in the clear. Its presence is
/// what tells a replica without a key that the library is encrypted.
public struct PublishedKeys: Hashable, Sendable, Codable {
    public static let formatName = "gloss-keys"
    public static let fileName = "keys.json"

    public var format = PublishedKeys.formatName
    public var version = 1
    public var replica: String
    /// Ids of the keys the replica holds and seals with.
    public var keys: [String]
    public var rotations: [KeyRotation]
    public var passphrase: PassphraseWrap?
    /// What the library takes in the clear, sealed (``SealedBounds``).
    public var plaintextBounds: SealedBounds?

    public init(replica: String, keys: [String], rotations: [KeyRotation], passphrase: PassphraseWrap?) {
        self.replica = replica
        self.keys = keys
        self.rotations = rotations
        self.passphrase = passphrase
    }

    /// The most bytes one replica's published keys may take (thousands of rotations fit).
    public static let maxBytes = 1 << 20

    /// Why these published keys are not ones a replica could have written, or nil: the format,
    /// a replica id, and key ids of 16 hex digits.
    public var problem: String? {
        guard format == Self.formatName, version == 1 else { return "they are not gloss-keys version 1" }
        guard ReplicaID(replica) != nil else { return "'replica' is not a replica id" }
        guard !keys.isEmpty else { return "they name no key" }
        let ids = keys + rotations.flatMap { [$0.id, $0.by] } + (passphrase.map { [$0.key] } ?? [])
        guard ids.allSatisfy(Self.isKeyID) else { return "a key id is not 16 hex digits" }
        return nil
    }

    static func isKeyID(_ id: String) -> Bool {
        id.utf8.count == 16 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The JSON a replica publishes: sorted keys, as a folder's `keys.json` has it.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
