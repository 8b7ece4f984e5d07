import ArgumentParser
import GlossCore

struct Status: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show this replica, what it holds, and its digest.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run(store: Store) async throws {
        let status = try store.status()
        if output.json { return try Output.json(status) }
        let c = status.counts
        print("\(Terminal.bold("Replica")) \(status.name) (\(status.replica))")
        print("\(Terminal.bold("Store"))   \(status.store)")
        print("\(c.articles) articles, \(c.annotations) annotations (\(c.highlights) highlights, \(c.notes) with notes), \(c.tags) tags")
        print("\(c.changes) changes from \(c.replicas) replica\(c.replicas == 1 ? "" : "s"); version vector \(status.versionVector)")
        print(status.conflicts == 0 ? "No conflicts." : "\(status.conflicts) conflict\(status.conflicts == 1 ? "" : "s")")
        print("\(Terminal.bold("Digest"))  \(status.digest)")
    }
}
