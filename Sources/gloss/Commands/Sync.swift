import ArgumentParser
import Foundation
import GlossCore
import GlossSync
import Logging

struct Sync: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with a shared folder (USB stick, Syncthing, Dropbox) or a 'gloss serve' server.",
        discussion: "A folder: writes what it lacks into this replica's own subfolder and applies what the store lacks; safe to run from several machines at once, and to repeat. A server (http://HOST:PORT): pushes and pulls pages of changes with a bearer token, saved for that server once a sync with it succeeds ('gloss token saved' lists them); an interrupted sync resumes where it stopped.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The shared folder (created if its parent exists), or a server's http(s):// URL.", valueName: "dir-or-url"))
    var target: String
    @Option(help: "The server's bearer token (else $GLOSS_TOKEN, else the one saved for this server). Given, it is saved for next time once the sync succeeds.")
    var token: String?

    @Flag(help: "Also give the store's digest afterwards (a full export: slow on a large library).")
    var digest = false
    @Option(help: "A folder or a relay: write (upload) a snapshot when the store holds this many changes more than the newest one there.")
    var snapshotAfter = FolderPolicy.standard.snapshotAfter
    @Option(help: "A folder: days after which a replica that has not synced there no longer holds compaction back.")
    var horizonDays = 90

    struct Summary: Encodable {
        var sent: Int
        var received: Int
        var newConflicts: [ConflictRef]
        /// Originals the other side lacked and kept, and those this store took.
        var originalsSent: Int
        var originalsReceived: Int
        var bundlesRead: Int
        var bundlesWritten: Int
        var joinedFrom: String?
        var snapshotWritten: String?
        var bundlesRemoved: Int
        var snapshotsRemoved: Int
        var warnings: [String]
        var digest: String?
    }

    func validate() throws {
        if snapshotAfter < 1 { throw ValidationError("--snapshot-after must be at least 1") }
        if horizonDays < 0 { throw ValidationError("--horizon-days must be 0 or more") }
    }

    func run(store: Store) async throws {
        var logger = Logger(label: "gloss.sync")
        logger.logLevel = .critical  // warnings are printed below, once each
        let outcome: SyncOutcome
        let line = ProgressLine(label: "pulled", unit: "changes")
        do {
            outcome = try await SyncSession.sync(store, with: try SyncTarget(target), token: serverToken,
                                                 policy: FolderPolicy(snapshotAfter: snapshotAfter, horizonDays: horizonDays),
                                                 progress: { line.update($0.done, label: $0.phase == .pulling ? "pulled" : "pushed") },
                                                 logger: logger)
            line.finish()
        } catch let error as SyncError {
            line.finish()
            throw CLIError(Self.advise(error))
        }
        let report = outcome.report
        let upkeep = outcome.upkeep
        let summary = Summary(sent: report.sent, received: report.received, newConflicts: report.newConflicts,
                              originalsSent: outcome.originals.sent, originalsReceived: outcome.originals.received,
                              bundlesRead: outcome.bundlesRead, bundlesWritten: outcome.bundlesWritten,
                              joinedFrom: upkeep.joinedFrom, snapshotWritten: upkeep.snapshotWritten,
                              bundlesRemoved: upkeep.bundlesRemoved, snapshotsRemoved: upkeep.snapshotsRemoved,
                              warnings: report.warnings.map(\.description), digest: digest ? try store.digest() : nil)
        for warning in report.warnings { Terminal.printWarning(warning.description) }
        if output.json { return try Output.json(summary) }
        if let joined = upkeep.joinedFrom { print("started from the snapshot \(joined)") }
        print("synced with \(outcome.place): sent \(summary.sent), received \(summary.received) change\(summary.received == 1 ? "" : "s")")
        if summary.originalsSent + summary.originalsReceived > 0 {
            print("originals: sent \(summary.originalsSent), received \(summary.originalsReceived)")
        }
        if let written = upkeep.snapshotWritten { print("wrote the snapshot \(written)") }
        if upkeep.bundlesRemoved + upkeep.snapshotsRemoved > 0 {
            print("compacted: removed \(upkeep.bundlesRemoved) bundle\(upkeep.bundlesRemoved == 1 ? "" : "s") and \(upkeep.snapshotsRemoved) older snapshot\(upkeep.snapshotsRemoved == 1 ? "" : "s") of this replica's that every replica has")
        }
        if let digest = summary.digest { print("digest \(digest)") }
        if !report.newConflicts.isEmpty {
            print("\(report.newConflicts.count) new conflict\(report.newConflicts.count == 1 ? "" : "s"): see 'gloss conflicts'")
        }
    }

    /// --token (saved once the sync succeeds), else $GLOSS_TOKEN (this sync only), else the token
    /// saved for the server.
    var serverToken: ServerToken {
        if let token, !token.isEmpty { return .save(token) }
        if let environment = ProcessInfo.processInfo.environment["GLOSS_TOKEN"], !environment.isEmpty { return .use(environment) }
        return .saved
    }

    /// A sync failure's message, with what to do about it in this command's terms.
    static func advise(_ error: SyncError) -> String {
        switch error {
        case .noToken:
            error.description + ". Pass one with --token (it is saved for next time) or set GLOSS_TOKEN; 'gloss token create' on the server makes one."
        default:
            error.description
        }
    }
}
