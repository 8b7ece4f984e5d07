import ArgumentParser
import Foundation
import GlossCore
import GlossSync

struct Snapshot: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a snapshot of this store into a shared folder now, so new machines join from it in a moment.",
        discussion: "A snapshot holds the whole library (and its history) without anything private: no tokens, saved servers or sync checkpoints. 'gloss sync DIR' writes one by itself when enough has changed (--snapshot-after), starts an empty store from the newest, and removes this replica's bundles once a snapshot holds them and every machine syncing there has them.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The shared folder.", valueName: "dir"))
    var directory: String

    struct Written: Encodable {
        var snapshot: String
        var bundlesRemoved: Int
        var snapshotsRemoved: Int
    }

    func run(store: Store) async throws {
        let written: (key: String, upkeep: FolderUpkeep)
        do {
            written = try SyncSession.writeSnapshot(store, intoFolder: directory)
        } catch let error as SyncError {
            throw CLIError(error.description)
        }
        for warning in written.upkeep.warnings { Terminal.printWarning(warning.description) }
        let result = Written(snapshot: written.key, bundlesRemoved: written.upkeep.bundlesRemoved, snapshotsRemoved: written.upkeep.snapshotsRemoved)
        if output.json { return try Output.json(result) }
        print("wrote the snapshot \(written.key)")
        if result.bundlesRemoved + result.snapshotsRemoved > 0 {
            print("compacted: removed \(result.bundlesRemoved) bundle(s) and \(result.snapshotsRemoved) older snapshot(s) of this replica's")
        }
    }
}

struct Replicas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas",
        abstract: "The machines this library has been on: what each wrote, when it was last seen, how far behind it is.",
        subcommands: [List.self, Retire.self], defaultSubcommand: List.self)

    struct List: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the replicas this store knows.")
        static let createsStore = false
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run(store: Store) async throws {
            let replicas = try store.replicaStatuses()
            if output.json { return try Output.json(replicas) }
            Output.table(["ID", "NAME", "CHANGES", "LAST CHANGE", "LAST SEEN", "BEHIND", "SIGNS WITH"], replicas.map { replica in
                [String(replica.id.rawValue.prefix(8)) + (replica.isLocal ? " (this)" : ""),
                 (replica.name ?? "-") + (replica.isRetired ? " (retired)" : ""),
                 String(replica.changes),
                 replica.lastChange.map { Output.date(milliseconds: Int64($0)) } ?? "-",
                 replica.isLocal ? "-" : replica.lastSeen.map { Output.date(milliseconds: Int64($0)) } ?? "never in a folder",
                 replica.isLocal ? "-" : replica.behind.map(String.init) ?? "-",
                 // The key's first characters, enough to compare by eye across machines.
                 replica.signingKey.map { String($0.prefix(12)) + "…" } ?? (replica.isLocal ? "key made at first sync" : "no signed change seen")]
            })
        }
    }

    struct Retire: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire",
            abstract: "Say a machine is gone for good: folder compaction stops waiting for it (it can still return and catch up from a snapshot).")
        static let createsStore = false
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The replica's id (or a unique prefix), as 'gloss replicas' lists it.", valueName: "id"))
        var id: String

        func run(store: Store) async throws {
            let matches = try store.replicas().filter { $0.id.rawValue.hasPrefix(id.lowercased()) }
            guard let replica = matches.first else { throw CLIError("no replica has the id '\(id)'. List them with 'gloss replicas'.") }
            guard matches.count == 1 else { throw CLIError("'\(id)' fits \(matches.count) replicas; type more of the id") }
            guard !replica.isLocal else { throw CLIError("\(replica.id.rawValue.prefix(8)) is this store itself; retire it from another replica") }
            try store.retire(replica.id)
            print("retired \(replica.id.rawValue.prefix(8)) (\(replica.name ?? "unnamed")): the next folder sync publishes it, and compaction stops waiting for it")
        }
    }
}
