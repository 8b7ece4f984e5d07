import ArgumentParser
import GlossCore

struct Conflicts: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List fields edited concurrently on two replicas, with every value kept.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run(store: Store) async throws {
        let conflicts = try store.conflicts()
        if output.json { return try Output.json(conflicts) }
        guard !conflicts.isEmpty else { return print("No conflicts.") }
        let short = try store.shortIDs(conflicts.map(\.entityID))
        for conflict in conflicts {
            print(Terminal.bold("\(short(conflict.entityID))  \(conflict.entityType.rawValue) \(conflict.field)"))
            for (index, sibling) in conflict.siblings.enumerated() {
                let marker = sibling.isShown ? "*" : " "
                let who = "\(sibling.replicaName ?? sibling.replica.short), \(Output.date(milliseconds: Int64(sibling.time)))"
                let value = sibling.value == .bool(true) && conflict.field == Fields.deleted ? "deleted" : sibling.value.description
                print("  \(marker)\(index + 1)  \(Output.truncate(value, max(20, Terminal.width - who.count - 10)))  \(Terminal.dim("(\(who))"))")
            }
        }
        print(Terminal.dim("* is shown on every replica until resolved: gloss resolve ID --keep N | --value TEXT | --edit"))
    }
}
