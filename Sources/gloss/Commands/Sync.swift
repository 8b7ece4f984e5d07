import ArgumentParser
import Foundation
import GlossCore
import GlossSync
import Logging

struct Sync: StoreCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exchange changes with a shared folder (USB stick, Syncthing, Dropbox).",
        discussion: "Writes what the folder lacks into this replica's own subfolder and applies what the store lacks. Safe to run from several machines at once, and to repeat.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The shared folder (created if its parent exists).", valueName: "dir"))
    var target: String

    struct Summary: Encodable {
        var sent: Int
        var received: Int
        var newConflicts: [ConflictRef]
        var bundlesRead: Int
        var bundlesWritten: Int
        var warnings: [String]
        var digest: String
    }

    func run(store: Store) async throws {
        let transport = try FolderTransport(directory: target, store: store)
        var logger = Logger(label: "gloss.sync")
        logger.logLevel = .critical  // warnings are printed below, once each
        let report = try await SyncSession(store: store, peer: transport, logger: logger).run()
        let summary = Summary(sent: report.sent, received: report.received, newConflicts: report.newConflicts,
                              bundlesRead: await transport.bundlesRead, bundlesWritten: await transport.bundlesWritten,
                              warnings: report.warnings, digest: try store.digest())
        for warning in report.warnings { Terminal.printWarning(warning) }
        if output.json { return try Output.json(summary) }
        print("synced with \(transport.directory.path): sent \(summary.sent), received \(summary.received) change\(summary.received == 1 ? "" : "s")")
        if !report.newConflicts.isEmpty {
            print("\(report.newConflicts.count) new conflict\(report.newConflicts.count == 1 ? "" : "s"): see 'gloss conflicts'")
        }
    }
}
