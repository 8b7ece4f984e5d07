import ArgumentParser
import GlossCore

struct Note: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Attach a note to a whole article.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's id, or a unique prefix of it.", valueName: "article"), completion: Completions.articles)
    var article: String
    @Argument(help: ArgumentHelp("The note (Markdown).", valueName: "text"))
    var text: String
    @Option(name: .customLong("tag"), help: "Tag the note (repeatable).", completion: Completions.tags)
    var tags: [String] = []

    func run(store: Store) async throws {
        let note = try store.addNote(articleID: try store.articleID(prefix: article), text: text, tags: tags)
        if output.json { return try Output.json(note) }
        print("noted \(try store.short(note.id))")
    }
}
