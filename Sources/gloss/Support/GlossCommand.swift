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
    /// Seconds a write waits for another process's write before failing as busy.
    static var busyTimeout: Double { get }
    /// Whether the command may make the store when there is none yet (a command that adds to
    /// it); a command that only reads or changes what is there says there is no store instead.
    static var createsStore: Bool { get }
    func run(store: Store) async throws
}

extension StoreCommand {
    static var concurrentReads: Bool { false }
    static var busyTimeout: Double { 10 }
    static var createsStore: Bool { true }

    mutating func run() async throws {
        let command = self
        let location = try await Failure.report(store: nil) {
            try StoreLocator.locate(option: command.global.store, create: Self.createsStore)
        }
        try await Failure.report(store: location) {
            let store = try Store(path: location.database, concurrentReads: Self.concurrentReads,
                                  busyTimeout: Self.busyTimeout) { pending in
                Terminal.printNote("upgrading this store for this version of gloss (\(pending.joined(separator: ", "))); on a large library this takes a few seconds, once")
            }
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
    /// Runs `body`; a failure it throws is printed as one message (with advice) and exits 1.
    /// `store` is the store the command works on, to name what chose it.
    static func report<T>(store: StoreLocator.Location?, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            guard let message = message(for: error, store: store) else { throw error }
            Terminal.printError(message)
            throw ExitCode(1)
        }
    }

    static func report(_ body: () async throws -> Void) async throws {
        try await report(store: nil, body)
    }

    /// The message for an error the libraries or the CLI report; nil for any other (a usage
    /// error, an exit code), which the argument parser handles.
    static func message(for error: any Error, store: StoreLocator.Location?) -> String? {
        switch error {
        case let error as GlossError: Advice.message(for: error, store: store)
        case let error as ExtractionError: error.description
        case let error as CLIError: error.description
        case let error as SyncError: error.description
        case let error as EncryptionError: error.description
        case let error as FetchError: error.description
        default: store.flatMap { GlossError.damage(in: error, storeAt: $0.database) }.map { Advice.message(for: $0, store: store) }
        }
    }
}
