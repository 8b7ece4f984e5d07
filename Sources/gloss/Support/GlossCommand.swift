import ArgumentParser
import GlossCore
import GlossExtraction
import GlossFetch
import GlossSync

/// A subcommand that works on the store: opens it, runs, and turns failures into one clear
/// message on standard error and a non-zero exit.
protocol StoreCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    /// Whether the command reads while it writes (a server); else the store opens with one
    /// connection, which is quicker to open.
    static var concurrentReads: Bool { get }
    func run(store: Store) async throws
}

extension StoreCommand {
    static var concurrentReads: Bool { false }

    mutating func run() async throws {
        let command = self
        try await Failure.report {
            let store = try Store(path: try StoreLocator.databasePath(option: command.global.store),
                                  concurrentReads: Self.concurrentReads)
            if let original = store.copiedFrom {
                Terminal.printWarning("this store is a copy of replica \(original.short) (its file moved to a new disk or machine); it now writes as new replica \(store.replicaID.short) so the two never reuse each other's change numbers")
            }
            try await command.run(store: store)
            try store.close()
        }
    }
}

/// Maps errors to messages and exit codes: 1 for a failure, 64 for a usage error.
enum Failure {
    static func report(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as GlossError {
            Terminal.printError(error.description)
            throw ExitCode(1)
        } catch let error as ExtractionError {
            Terminal.printError(error.description)
            throw ExitCode(1)
        } catch let error as CLIError {
            Terminal.printError(error.description)
            throw ExitCode(1)
        } catch let error as SyncError {
            Terminal.printError(error.description)
            throw ExitCode(1)
        } catch let error as FetchError {
            Terminal.printError(error.description)
            throw ExitCode(1)
        }
    }
}
