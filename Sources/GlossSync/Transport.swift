public import GlossCore

/// Where a sync session sends and fetches changes: a shared folder, an HTTP server, or another
/// store in the same process.
///
/// A transport moves bytes and nothing else: it reads the peer's version vector, hands over pages
/// of the changes the peer holds, and delivers pushed changes, returning a receipt. It holds no
/// store and writes no state: what a transport needs remembered between syncs (a folder: which
/// bundle files were applied) it returns in pages and receipts as a checkpoint, and the
/// ``SyncSession`` records that and hands it back, as `remembered`, in the next session.
public protocol Transport: Sendable {
    /// The name a store keeps this peer's checkpoints under: `folder:PATH`, `http:URL`.
    var peer: String { get }
    /// The peer's version vector: what it already holds. `remembered` is every checkpoint
    /// value recorded for this peer by earlier sessions, the same for every call of one session.
    func versionVector(remembered: [String: String]) async throws -> VersionVector
    /// One page of the changes the peer holds that `vector` lacks, in the peer's causal order,
    /// starting at `cursor` (``PullCursor/start`` for the first page).
    func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage
    /// Hands `changes` to the peer, which applies or keeps them atomically and idempotently.
    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt
    /// Names of the replicas the peer knows (as far as this transport has read), for conflict
    /// listings.
    func replicaNames() async throws -> [ReplicaID: String]
    /// Problems the transport stepped around (a bundle file skipped), to show the person.
    func warnings() async -> [SyncError]
}

/// Where the next page of a pull starts: a position only the transport that made it reads (an
/// HTTP server's log sequence, the index of a folder's next unread bundle).
public struct PullCursor: Hashable, Sendable {
    public var position: Int64

    public init(position: Int64) { self.position = position }

    /// The first page.
    public static let start = PullCursor(position: 0)
}

/// One page of a pull.
public struct PulledPage: Sendable {
    /// Changes the pulling store lacks.
    public var changes: [Change]
    /// Values to record for the peer in the same transaction as `changes` (a folder: the bundle
    /// read and what it covered); empty when the transport needs nothing remembered.
    public var checkpoint: [String: String]
    /// Where the next page starts; nil after the last page.
    public var next: PullCursor?
    /// The file the page was read from (a folder's bundle, as printed), when it has one: a
    /// page the store refuses is then reported by this name and skipped, not the end of the sync.
    public var origin: String?

    public init(changes: [Change], checkpoint: [String: String] = [:], next: PullCursor?, origin: String? = nil) {
        self.changes = changes
        self.checkpoint = checkpoint
        self.origin = origin
        self.next = next
    }
}

/// What the peer did with a push.
public struct PushReceipt: Hashable, Sendable {
    /// Changes the peer did not have (a folder: every change written).
    public var applied = 0
    /// Changes the peer held already.
    public var duplicates = 0
    /// Fields that became conflicted on the peer.
    public var newConflicts: [ConflictRef] = []
    /// Values to record for the peer once the push is done (a folder: the bundle written, so the
    /// next sync does not read it back).
    public var checkpoint: [String: String] = [:]

    public init(applied: Int = 0, duplicates: Int = 0, newConflicts: [ConflictRef] = [], checkpoint: [String: String] = [:]) {
        self.applied = applied
        self.duplicates = duplicates
        self.newConflicts = newConflicts
        self.checkpoint = checkpoint
    }

    /// The receipt of a peer that applied changes as a store does.
    public init(_ report: ApplyReport) {
        self.init(applied: report.applied, duplicates: report.duplicates, newConflicts: report.newConflicts)
    }
}
