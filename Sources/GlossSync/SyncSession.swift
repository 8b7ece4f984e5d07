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

    public init(store: Store, peer: any Transport, logger: Logger = Logger(label: "gloss.sync")) {
        self.store = store
        self.peer = peer
        self.logger = logger
    }

    public func run() async throws -> SyncReport {
        var report = SyncReport()
        let names = try store.replicaNames()

        let theirs = try await peer.versionVector()
        let outgoing = try store.changes(since: theirs)
        if !outgoing.isEmpty {
            report.sent = try await peer.push(outgoing, names: names).applied
        }
        logger.debug("pushed", metadata: ["changes": "\(outgoing.count)", "applied": "\(report.sent)"])

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
        // Applying can write changes of its own (clean merges of concurrent note edits): the peer
        // gets them now, not one sync later.
        let made = try store.changes(since: try await peer.versionVector())
        if !made.isEmpty {
            report.sent += try await peer.push(made, names: names).applied
        }
        report.warnings = await peer.warnings()
        for warning in report.warnings { logger.warning("\(warning)") }
        try store.learnReplicaNames(try await peer.replicaNames())
        logger.debug("pulled", metadata: ["applied": "\(report.received)"])
        return report
    }
}

/// What pulled pages added up to, shared with the page callback.
private final class Tally: Sendable {
    let state = Mutex<(received: Int, newConflicts: [ConflictRef])>((0, []))
}
