import ArgumentParser
import GlossCore

struct Delete: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an article or annotation (an edit made elsewhere meanwhile keeps it, as a conflict).")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's or annotation's id, or a unique prefix.", valueName: "id"), completion: Completions.ids)
    var id: String

    func run(store: Store) async throws {
        let (type, id) = try store.entity(prefix: self.id)
        try store.delete(id)
        if output.json { return try Output.json(["deleted": id, "type": type.rawValue]) }
        print("deleted \(type.rawValue) \(try store.short(id))")
    }
}
