public import GlossCore
public import Logging

/// What one sync did.
public struct SyncReport: Equatable, Sendable {
    /// Changes the peer did not have and applied.
    public var sent = 0
    /// Changes this store did not have and applied.
    public var received = 0
    /// Fields that became conflicted here.
    public var newConflicts: [ConflictRef] = []
    /// Problems stepped around, such as a corrupt bundle file skipped.
    public var warnings: [SyncError] = []

    public init() {}
}

/// One sync between a local store and a peer: pull what we lack, push what the peer lacks.
/// Cost follows what each side lacks (version vectors), not the size of the history.
///
/// The session alone reads and records checkpoints: it hands a transport what earlier sessions
/// recorded for its peer, and records each page's checkpoint in the same transaction as the
/// page's changes, so nothing is remembered as applied that did not durably land.
public struct SyncSession: Sendable {
    public let store: Store
    public let peer: any Transport
    let logger: Logger

    /// Changes per push (one folder bundle); bounds memory and request size.
    let pushPage: Int
    /// The most changes applied in one transaction. A pulled page (a folder bundle may hold
    /// hundreds of thousands) is applied in slices of this many, each its own transaction of
    /// well under a second, so another writer of the store (`gloss add`, a server's push) waits
    /// briefly between them instead of failing on the lock. The page's checkpoint goes with its
    /// last slice; a sync stopped between slices keeps what landed and, run again, skips it.
    let applySlice: Int

    /// The most changes held back waiting for the rest of their batches; past it they are left
    /// out (with a warning) rather than kept in memory.
    static let maxWaiting = 100_000

    public init(store: Store, peer: any Transport, pushPage: Int = 5_000, applySlice: Int = 5_000,
                logger: Logger = Logger(label: "gloss.sync")) {
        self.store = store
        self.peer = peer
        self.pushPage = max(1, pushPage)
        self.applySlice = max(1, applySlice)
        self.logger = logger
    }

    /// Pulls what the peer has that this store lacks, then pushes what the peer lacks, a page at
    /// a time both ways, so memory follows the page size and not the history. Pulling first means
    /// merges made while applying (clean merges of concurrent note edits) go out in the same sync.
    /// - Throws: first, before touching the peer, `GlossError.storeUnreadable` when the store
    ///   is read-only.
    public func run() async throws -> SyncReport {
        try store.requireWritable()
        var report = SyncReport()
        var warnings: [SyncError] = []
        let key = peer.peer
        // This replica's key exists before anything is taken: a change in its name that it did
        // not sign is then refused from the first sync on.
        try store.signOwnChanges()
        let remembered = try store.checkpoint(peer: key).values
        let local = try store.versionVector()
        // Changes of a signed batch a page cut (a relay pages by count); they wait for the rest.
        var waiting: [Change] = []
        let peer = self.peer
        var page = try await peer.pull(since: local, from: .start, remembered: remembered)
        while true {
            // The next page is read and decoded while this one is applied: a pull's cursor and
            // vector never depend on what was applied, and the two halves then share the cores.
            // Leaving this scope early (an error) cancels and awaits the read.
            let cursor = page.next
            async let following: PulledPage? = Self.pull(peer, since: local, from: cursor, remembered: remembered)
            let checkpoint = page.checkpoint.isEmpty ? nil : SyncCheckpoint(peer: key, values: page.checkpoint)
            if checkpoint == nil, page.origin == nil {
                (page.changes, waiting) = try store.awaitingSignature(waiting + page.changes)
                if page.next == nil || waiting.count > Self.maxWaiting {
                    // What never completed its batch is left out, named, never taken unchecked.
                    warnings += SyncError.unverified(waiting, place: String(key.drop { $0 != ":" }.dropFirst()))
                    waiting = []
                }
            }
            if !page.changes.isEmpty {
                var start = 0
                do {
                    while start < page.changes.count {
                        // A slice never cuts a signed batch: a batch is checked whole.
                        let end = start + Array(page.changes[start...]).batchSafeCut(atMost: applySlice)
                        let applied = try store.apply(Array(page.changes[start..<end]),
                                                      checkpoint: end == page.changes.count ? checkpoint : nil)
                        report.received += applied.applied
                        report.newConflicts += applied.newConflicts
                        start = end
                    }
                } catch GlossError.invalidChange(let defect) where page.origin != nil {
                    // A file in a shared folder that the store refuses (a forged or rewritten
                    // change) is named and stepped over, as an unreadable one is; it is not
                    // recorded as read, so it is reported again until someone removes it.
                    warnings.append(.bundleInvalid(file: page.origin ?? "", defect: .invalidChange(defect)))
                }
            } else if let checkpoint {
                try store.saveCheckpoint(checkpoint)
            }
            guard let next = try await following else { break }
            page = next
        }
        // A conflict one slice made, a later slice may have settled: report those still standing.
        report.newConflicts = try store.standing(report.newConflicts)
        logger.debug("pulled", metadata: ["applied": "\(report.received)"])
        try store.learnReplicaNames(try await peer.replicaNames())

        let names = try store.replicaNames()
        let theirs = try await peer.versionVector(remembered: remembered)
        let (store, pushPage) = (self.store, self.pushPage)
        var outgoing = try store.changePage(since: theirs, limit: pushPage)
        while true {
            // The next page is read from the store while the peer takes this one.
            let (more, after) = (outgoing.more, outgoing.next)
            async let following: ChangePage? = more ? store.changePage(since: theirs, after: after, limit: pushPage) : nil
            if !outgoing.changes.isEmpty {
                let receipt = try await peer.push(outgoing.changes, names: names)
                report.sent += receipt.applied
                if !receipt.checkpoint.isEmpty { try store.saveCheckpoint(SyncCheckpoint(peer: key, values: receipt.checkpoint)) }
            }
            guard let next = try await following else { break }
            outgoing = next
        }
        logger.debug("pushed", metadata: ["applied": "\(report.sent)"])
        report.warnings = await peer.warnings() + warnings
        for warning in report.warnings { logger.warning("\(warning)") }
        return report
    }

    /// The page at `cursor`, or nil when there is none (the last page was read).
    private static func pull(_ peer: any Transport, since vector: VersionVector, from cursor: PullCursor?,
                             remembered: [String: String]) async throws -> PulledPage? {
        guard let cursor else { return nil }
        return try await peer.pull(since: vector, from: cursor, remembered: remembered)
    }
}
