public import GlossCore
public import Logging

/// What moving originals did in one sync.
public struct OriginalsReport: Equatable, Sendable {
    /// Originals the peer lacked and kept.
    public var sent = 0
    /// Originals this store lacked and kept.
    public var received = 0
    /// False when the peer does not carry originals (a relay).
    public var carried = true
    /// Originals skipped (damaged, forged, too large) and lists that could not be read.
    public var warnings: [SyncError] = []

    public init() {}
}

/// The step of a sync that moves originals, after the changes: it takes from the peer the
/// originals of live articles this store lacks (whatever this store's setting: the sender's
/// setting decides), and, when this store's setting is on, sends the peer the originals it
/// lacks. Every original taken is checked against its SHA-256 and size before it is kept; one
/// that fails is named in a warning and skipped, never kept and never the end of the sync.
public struct OriginalsSync: Sendable {
    public let store: Store
    public let peer: any OriginalsTransport
    /// Where the peer is, as shown.
    public let place: String
    let logger: Logger

    public init(store: Store, peer: any OriginalsTransport, place: String, logger: Logger = Logger(label: "gloss.sync")) {
        self.store = store
        self.peer = peer
        self.place = place
        self.logger = logger
    }

    /// Runs the step. A store held in memory (no originals folder) moves nothing.
    public func run() async throws -> OriginalsReport {
        var report = OriginalsReport()
        guard store.originalsFolder != nil else { return report }
        let sends = try store.syncsOriginals()
        guard let offer = try await peer.originalsOffer() else {
            if sends { report.warnings.append(.originalsNotCarried(place: place)) }
            report.carried = false
            return report
        }
        report.warnings += offer.warnings
        let lacking = try store.articlesLackingOriginals(among: offer.offered.map(\.entry.article))
        var taken: Set<String> = []
        for offered in offer.offered where lacking.contains(offered.entry.article) && !taken.contains(offered.entry.article) {
            guard let record = offered.entry.record else {
                report.warnings.append(.originalSkipped(origin: offered.origin, article: offered.entry.article,
                                                        problem: "its format \(offered.entry.format) is one this gloss does not read"))
                continue
            }
            switch try await peer.fetchOriginal(offered) {
            case .refused(let problem):
                report.warnings.append(.originalSkipped(origin: offered.origin, article: offered.entry.article, problem: problem))
            case .bytes(let bytes):
                do {
                    if try store.keepReceivedOriginal(bytes, as: record) { report.received += 1 }
                    taken.insert(record.articleID)
                } catch OriginalError.damaged {
                    report.warnings.append(.originalSkipped(origin: offered.origin, article: offered.entry.article,
                                                            problem: "its bytes are not the \(record.size) with the SHA-256 it is listed with"))
                } catch let error as OriginalError {
                    // This store's originals folder cannot be written: the changes stand.
                    report.warnings.append(.originalSkipped(origin: offered.origin, article: offered.entry.article, problem: error.description))
                }
            }
        }
        if sends {
            let held = try store.originalRecords()
            for record in held {
                if let theirs = offer.held[record.articleID], theirs == record.sha256 || !offer.replaces { continue }
                let bytes: [UInt8]
                do {
                    bytes = try store.original(of: record.articleID).bytes
                } catch let error as OriginalError {
                    report.warnings.append(.originalSkipped(origin: store.originalsFolder?.path ?? "", article: record.articleID,
                                                            problem: "it is not sent: \(error)"))
                    continue
                }
                do {
                    if try await peer.sendOriginal(record, bytes: bytes) { report.sent += 1 }
                } catch let problem as OriginalsProblem {
                    report.warnings.append(.originalSkipped(origin: place, article: record.articleID, problem: "it is not sent: \(problem)"))
                }
            }
            try await peer.finishSending(held: held)
        }
        for warning in report.warnings { logger.warning("\(warning)") }
        logger.debug("originals", metadata: ["sent": "\(report.sent)", "received": "\(report.received)"])
        return report
    }
}

extension OriginalsSync {
    /// The originals step of a sync that has moved the changes: run against `peer` when it
    /// offers originals. A failure of the peer here (a folder that cannot be written, a server
    /// gone) is a warning: the changes synced stand.
    static func afterChanges(_ store: Store, peer: any Transport, originals: (any OriginalsTransport)? = nil, place: String,
                             logger: Logger) async throws -> OriginalsReport {
        guard let transport = originals ?? (peer as? any OriginalsTransport) else { return OriginalsReport() }
        do {
            return try await OriginalsSync(store: store, peer: transport, place: place, logger: logger).run()
        } catch let error as SyncError {
            var report = OriginalsReport()
            report.warnings = [error]
            return report
        }
    }
}
