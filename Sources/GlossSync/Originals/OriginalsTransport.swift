public import GlossCore

/// What a transport offers for originals to travel through it, beside the changes: a peer's
/// list of the originals it holds, fetching one, and sending one. A transport that does not
/// offer it (an in-process store) carries changes only; a peer that answers it does not carry
/// originals (a relay) says so through ``originalsOffer()``.
///
/// Like ``Transport``, it moves bytes only: the ``OriginalsSync`` step decides what to fetch
/// and send, checks what arrives and keeps it.
public protocol OriginalsTransport: Sendable {
    /// What the peer holds and offers; nil when the peer does not carry originals at all.
    func originalsOffer() async throws -> OriginalsOffer?
    /// The bytes of `offered` as the peer holds them, checked against its entry; a
    /// ``FetchedOriginal/refused(_:)`` names what was wrong with them (nothing of it is kept).
    func fetchOriginal(_ offered: OfferedOriginal) async throws -> FetchedOriginal
    /// Hands the peer `bytes`, the original `record` describes. Returns whether the peer kept it
    /// (one whose article it no longer holds does not).
    func sendOriginal(_ record: OriginalRecord, bytes: [UInt8]) async throws -> Bool
    /// Completes what ``sendOriginal(_:bytes:)`` began (a folder writes its list of originals),
    /// with `held` the records of every original the sending store keeps now.
    func finishSending(held: [OriginalRecord]) async throws
}

/// What a peer holds of originals.
public struct OriginalsOffer: Sendable {
    /// Articles whose originals the peer keeps already, and the SHA-256 of each.
    public var held: [String: String]
    /// Whether an original the peer keeps of an article is replaced by this store's when it
    /// differs (a folder, where this replica's list is its own), or stays (a server's store,
    /// which keeps the first original it has).
    public var replaces: Bool
    /// Originals the peer offers to send (none when its setting keeps them).
    public var offered: [OfferedOriginal]
    /// Lists that could not be used (a damaged or forged folder list), to show the person.
    public var warnings: [SyncError]

    public init(held: [String: String], offered: [OfferedOriginal], replaces: Bool, warnings: [SyncError] = []) {
        self.held = held
        self.replaces = replaces
        self.offered = offered
        self.warnings = warnings
    }
}

/// One original a peer offers.
public struct OfferedOriginal: Sendable {
    public var entry: OriginalEntry
    /// Where it is, as shown in a warning: a file's path in the folder, a server's URL.
    public var origin: String
    /// Where the transport fetches it from (a folder: the writer's replica id).
    public var locator: String

    public init(entry: OriginalEntry, origin: String, locator: String) {
        self.entry = entry
        self.origin = origin
        self.locator = locator
    }
}

/// What fetching an original gave.
public enum FetchedOriginal: Sendable {
    /// The original's bytes, checked against its entry.
    case bytes([UInt8])
    /// Not taken, and why.
    case refused(String)
}
