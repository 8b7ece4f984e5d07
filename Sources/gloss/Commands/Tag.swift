import ArgumentParser
import GlossCore

struct Tag: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Add tags to an article or annotation, or remove them.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's or annotation's id, or a unique prefix.", valueName: "id"), completion: Completions.ids)
    var id: String
    @Argument(help: ArgumentHelp("Tags to add (or remove).", valueName: "tag"), completion: Completions.tags)
    var tags: [String] = []
    @Flag(help: "Remove the tags instead of adding them.")
    var remove = false

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run(store: Store) async throws {
        let (_, id) = try store.entity(prefix: self.id)
        let now = try store.setTags(id, tags, remove: remove)
        if output.json { return try Output.json(["id": id, "tags": now.joined(separator: ",")]) }
        print("\(try store.short(id)) tags: \(now.isEmpty ? "(none)" : Output.tags(now))")
    }
}
