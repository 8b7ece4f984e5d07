public import GlossCore
public import Logging
import Synchronization

/// What one sync did.
public struct SyncReport: Hashable, Sendable, Codable {
    /// Changes the peer did not have and applied.
    public var sent = 0
    /// Changes this store did not have and applied.
    public var received = 0
    /// Fields that became conflicted here.
    public var newConflicts: [ConflictRef] = []
    /// Problems stepped around, such as a corrupt file skipped.
    public var warnings: [String] = []
}

/// One sync between a local store and a peer: push what the peer lacks, pull what we lack.
/// Cost follows what each side lacks (version vectors), not the size of the history.
public struct SyncSession: Sendable {
    public let store: Store
    public let peer: any Transport
    let logger: Logger

    /// Changes per push (one folder bundle); bounds memory and request size.
    let pushPage: Int

    public init(store: Store, peer: any Transport, pushPage: Int = 5_000, logger: Logger = Logger(label: "gloss.sync")) {
        self.store = store
        self.peer = peer
        self.pushPage = max(1, pushPage)
        self.logger = logger
    }

    /// Pulls what the peer has that this store lacks, then pushes what the peer lacks, a page at
    /// a time both ways, so memory follows the page size and not the history. Pulling first means
    /// merges made while applying (clean merges of concurrent note edits) go out in the same sync.
    public func run() async throws -> SyncReport {
        var report = SyncReport()
        let tally = Tally()
        let store = self.store
        try await peer.pull(since: try store.versionVector()) { changes, checkpoint in
            guard !changes.isEmpty else {
                if let checkpoint { try store.record(checkpoint) }
                return
            }
            let applied = try store.apply(changes, checkpoint: checkpoint)
            tally.state.withLock { $0.received += applied.applied; $0.newConflicts += applied.newConflicts }
        }
        (report.received, report.newConflicts) = tally.state.withLock { ($0.received, $0.newConflicts) }
        logger.debug("pulled", metadata: ["applied": "\(report.received)"])
        try store.learnReplicaNames(try await peer.replicaNames())

        let names = try store.replicaNames()
        let theirs = try await peer.versionVector()
        var after: Int64 = 0
        while true {
            let page = try store.changePage(since: theirs, after: after, limit: pushPage)
            if !page.changes.isEmpty { report.sent += try await peer.push(page.changes, names: names).applied }
            guard page.more else { break }
            after = page.next
        }
        logger.debug("pushed", metadata: ["applied": "\(report.sent)"])
        report.warnings = await peer.warnings()
        for warning in report.warnings { logger.warning("\(warning)") }
        return report
    }
}

/// What pulled pages added up to, shared with the page callback.
private final class Tally: Sendable {
    let state = Mutex<(received: Int, newConflicts: [ConflictRef])>((0, []))
}
