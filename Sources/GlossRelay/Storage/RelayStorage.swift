public import GlossCore

/// Where a relay keeps people, libraries, tokens and each library's changes: a SQLite file
/// (``SQLiteRelayStorage``) or a PostgreSQL database (``PostgresRelayStorage``).
///
/// A storage holds everything a request needs, so any number of relay processes over one
/// database answer alike. A storage keeps each change's dot, size and bytes in the library's
/// arrival order and never reads the bytes (the relay reads a plain change's only to check a
/// signed batch that arrived split: ``RelayController``'s authorship check). Every write is one
/// transaction.
public protocol RelayStorage: Sendable {
    /// Answers when the database does (a readiness check); throws when it does not.
    func ping() async throws
    /// How many of its database connections are in use, and how many calls wait for one.
    var connectionUse: ConnectionUse { get }

    // MARK: - People, libraries, tokens

    /// Adds a person, with their own quota where it sets a limit.
    /// - Throws: ``RelayError/userExists(_:)``.
    func addUser(_ name: String, quota: RelayQuota, at time: Int64) async throws -> RelayUser
    func users() async throws -> [RelayUser]
    /// Adds a library for `user`, answering /v1/vector as `replica`.
    /// - Throws: ``RelayError/unknownUser(_:)``, ``RelayError/libraryExists(user:library:)``.
    func addLibrary(user: String, name: String, replica: ReplicaID, at time: Int64) async throws -> RelayLibrary
    /// `user`'s libraries by name. - Throws: ``RelayError/unknownUser(_:)``.
    func libraries(user: String) async throws -> [RelayLibrary]
    /// Records a token (its hash only) granting `library` of `user`.
    /// - Throws: ``RelayError/unknownUser(_:)``, ``RelayError/unknownLibrary(user:library:)``.
    func addToken(id: String, hash: [UInt8], user: String, library: String, readOnly: Bool, at time: Int64) async throws -> RelayTokenInfo
    /// Every token, revoked ones included, oldest first.
    func tokens() async throws -> [RelayTokenInfo]
    /// Marks a token revoked (at once, for every relay process); nil when no token has `id`.
    func revokeToken(id: String, at time: Int64) async throws -> RelayTokenInfo?
    /// What the unrevoked token whose SHA-256 is `hash` grants; nil for an unknown or revoked one.
    func grant(forHash hash: [UInt8]) async throws -> RelayGrant?

    // MARK: - Changes

    /// Stores the changes of `library` it lacks, after the last in arrival order, atomically.
    /// `changes` holds each dot once (``RelayPush/prepare(_:sealed:)``). A dot the library holds
    /// with the same bytes (or any, for a sealed change) counts as a duplicate; with other bytes
    /// the whole push is refused and nothing of it is stored. `names` are replica names to
    /// remember. `signers` are the public keys, by replica, the push's signed batches taught the
    /// relay (``Authorship/Verified/learned``): kept with the changes, the first key per replica
    /// winning, and the push refused when another push stored a different key for one of them
    /// first. What is new must fit the owner's quota (`quota`, the relay's default, with the
    /// owner's own limits over it).
    /// - Throws: ``RelayError/rewritten(replica:counter:)``, ``RelayError/invalidChange(_:)``,
    ///   ``RelayError/quotaExceeded(limit:allowed:used:adding:)``.
    func push(_ changes: [StoredChange], names: [String: String], signers: [String: [UInt8]], to library: Int64,
              quota: RelayQuota) async throws -> PushOutcome
    /// What checking a push's signatures needs from `library`: the public key kept for each of
    /// `writers` that has one (by replica id), and the stored bytes of each of `dots` the library
    /// holds. One keyed query when `dots` is empty.
    func authorship(of library: Int64, writers: [String], dots: [Dot]) async throws -> StoredAuthorship
    /// Per writing replica, the highest counter `library` holds with no gap below it.
    func vector(of library: Int64) async throws -> VersionVector
    /// The changes of `library` that `since` lacks, in arrival order after position `after` (0
    /// for the first page): at most `limit`, and past the first no more than `maxBytes` in all.
    func page(of library: Int64, since: VersionVector, after: Int64, limit: Int, maxBytes: Int) async throws -> StoredPage
    /// The replica names pushes told `library` about.
    func names(of library: Int64) async throws -> [String: String]

    // MARK: - Published keys

    /// Every replica's published keys in `library` (``PublishedKeys`` JSON, kept as the opaque
    /// bytes it was published as), by replica id.
    func publishedKeys(of library: Int64) async throws -> [String: [UInt8]]
    /// Keeps `bytes` as `replica`'s published keys in `library`, replacing what it published
    /// before, at `time` (ms since 1970).
    /// - Throws: ``RelayError/keysTooLarge(limit:)`` when the library's published keys would
    ///   pass `limit` bytes in all; nothing is changed.
    func publishKeys(_ bytes: [UInt8], replica: String, in library: Int64, limit: Int, at time: Int64) async throws

    // MARK: - Snapshots

    /// Starts keeping an upload of a snapshot file into `library`: `header` is the file's header
    /// line (JSON, routing data only), `changes` what it says it holds. Returns the upload's id;
    /// it is no snapshot a reader sees until ``finishSnapshot(_:in:bytes:sha256:keep:abandonedBefore:quota:)``.
    /// Uploads of the library begun before `abandonedBefore` and never finished are removed
    /// first, in the same transaction.
    /// - Throws: ``RelayError/snapshotUploadsUnderWay(limit:)`` when the library has `atOnce`
    ///   uploads under way already; nothing is changed.
    func beginSnapshot(in library: Int64, header: String, changes: Int64, at time: Int64, abandonedBefore: Int64,
                       atOnce: Int) async throws -> Int64
    /// Keeps `bytes` as chunk `index` (from 0) of the upload `snapshot`.
    func appendSnapshotChunk(_ bytes: [UInt8], index: Int, to snapshot: Int64) async throws
    /// Makes the upload `snapshot` of `library` the newest snapshot readers get, of `bytes` bytes
    /// in all whose SHA-256 is `sha256`, and removes the library's older snapshots past the
    /// newest `keep`, and its uploads begun before `abandonedBefore` (ms since 1970) and never
    /// finished, in one transaction. The library's owner's kept snapshots count in their quota
    /// (`quota`, the relay's default, with the owner's own where set) with their changes.
    /// - Throws: ``RelayError/snapshotOverQuota(allowed:)`` when keeping it would take the owner
    ///   past their quota of bytes; nothing is changed (the caller discards the upload).
    func finishSnapshot(_ snapshot: Int64, in library: Int64, bytes: Int64, sha256: [UInt8], keep: Int, abandonedBefore: Int64,
                        quota: RelayQuota) async throws
    /// Removes an upload that failed.
    func discardSnapshot(_ snapshot: Int64) async throws
    /// The newest finished snapshot of `library`; nil when it has none.
    func newestSnapshot(of library: Int64) async throws -> StoredSnapshot?
    /// Chunk `index` of the snapshot `snapshot`; nil when it is not kept (any more).
    func snapshotChunk(_ index: Int, of snapshot: Int64) async throws -> [UInt8]?

    /// Lets go of the database; the storage is unusable afterwards.
    func close() async throws
}

/// A person who holds libraries on the relay.
public struct RelayUser: Hashable, Sendable, Codable {
    public var id: Int64
    public var name: String
    /// Milliseconds since 1970.
    public var createdAt: Int64
    /// The person's own limits (nil ones are the relay's default).
    public var quota: RelayQuota
    /// What all their libraries hold: the bytes of their changes and of their kept snapshots
    /// (which count in a quota of bytes), and their changes.
    public var bytes: Int64
    public var changes: Int64
}

/// A library: the changes of one person's replicas that sync together.
public struct RelayLibrary: Hashable, Sendable, Codable {
    public var id: Int64
    public var user: String
    public var name: String
    /// The replica id the relay answers /v1/vector with for this library.
    public var replica: ReplicaID
    public var createdAt: Int64
}

/// A token as listed: never the token itself, which is kept only as a hash.
public struct RelayTokenInfo: Hashable, Sendable, Codable {
    public var id: String
    public var user: String
    public var library: String
    public var readOnly: Bool
    public var createdAt: Int64
    /// When it was revoked (ms since 1970); nil while it works.
    public var revokedAt: Int64?
}

/// What a presented token lets its bearer do.
public struct RelayGrant: Hashable, Sendable {
    public var tokenID: String
    public var library: Int64
    public var libraryName: String
    public var replica: ReplicaID
    public var readOnly: Bool
    /// The stored hash, compared again in constant time by the caller.
    public var hash: [UInt8]
}

/// One change as the relay keeps it: its dot and its canonical bytes (``CanonicalChange``).
public struct StoredChange: Hashable, Sendable {
    public var replica: String
    public var counter: Int64
    public var bytes: [UInt8]
    /// Whether it is an encrypted library's sealed change (``SealedChange``). A dot the library
    /// holds already counts as a duplicate whatever a sealed change's bytes: every seal draws a
    /// fresh random nonce, so a retried push re-seals the same change into other bytes, and
    /// the relay, holding no key, cannot tell a retry from a rewrite (a key holder can, and the
    /// first bytes stay, as they do for a plain dot).
    public var sealed: Bool

    public init(replica: String, counter: Int64, bytes: [UInt8], sealed: Bool = false) {
        self.replica = replica
        self.counter = counter
        self.bytes = bytes
        self.sealed = sealed
    }
}

/// What a library holds that a push's signatures are checked against
/// (``RelayStorage/authorship(of:writers:dots:)``).
public struct StoredAuthorship: Hashable, Sendable {
    /// The public key kept for a replica, by replica id.
    public var keys: [String: [UInt8]] = [:]
    /// The bytes of the asked-for dots the library holds (``CanonicalChange``).
    public var held: [Dot: [UInt8]] = [:]

    public init(keys: [String: [UInt8]] = [:], held: [Dot: [UInt8]] = [:]) {
        self.keys = keys
        self.held = held
    }
}

/// What a push stored.
public struct PushOutcome: Hashable, Sendable {
    /// Changes new to the library.
    public var applied: Int
    /// Changes it held already, byte for byte.
    public var duplicates: Int
}

/// One page of a pull: changes' bytes in arrival order, and where the next page starts.
public struct StoredPage: Hashable, Sendable {
    public var changes: [[UInt8]]
    /// The arrival position of the last change on the page (`after` when it is empty).
    public var next: Int64
    public var more: Bool
}

/// A snapshot file a replica of a library uploaded, as the relay keeps it: opaque chunks, and
/// the file's header line, which holds only routing data.
public struct StoredSnapshot: Hashable, Sendable {
    public var id: Int64
    /// The file's header line (JSON).
    public var header: String
    /// The changes its header says it holds.
    public var changes: Int64
    /// The whole file's size and SHA-256.
    public var bytes: Int64
    public var sha256: [UInt8]
    /// Milliseconds since 1970, when its upload began.
    public var createdAt: Int64
    /// How many chunks it is kept in.
    public var chunks: Int

    public init(id: Int64, header: String, changes: Int64, bytes: Int64, sha256: [UInt8], createdAt: Int64, chunks: Int) {
        self.id = id
        self.header = header
        self.changes = changes
        self.bytes = bytes
        self.sha256 = sha256
        self.createdAt = createdAt
        self.chunks = chunks
    }
}
