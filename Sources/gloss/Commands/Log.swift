import ArgumentParser
import GlossCore

struct Log: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the change log, newest first.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Show at most this many changes.")
    var limit = 50
    @Option(help: "Only changes to this article or annotation, deleted ones too (an id or unique prefix).", completion: Completions.ids)
    var id: String?

    func run(store: Store) async throws {
        let entity = try id.map { try store.entity(prefix: $0, includingDeleted: true).id }
        let entries = try store.log(limit: max(1, limit), entityID: entity)
        if output.json { return try Output.json(entries) }
        guard !entries.isEmpty else { return print("The change log is empty.") }
        let short = try store.shortIDs(entries.map(\.entityID), includingDeleted: true)
        Output.table(["SEQ", "TIME", "REPLICA", "DOT", "ENTITY", "FIELDS"], entries.map { entry in
            [String(entry.seq), Output.date(milliseconds: Int64(entry.time)), entry.replicaName ?? entry.replica.short,
             "\(entry.replica.short):\(entry.counter)", "\(entry.entityType.rawValue) \(short(entry.entityID))",
             entry.fields.joined(separator: " ")]
        })
    }
}
