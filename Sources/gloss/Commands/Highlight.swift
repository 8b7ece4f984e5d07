import ArgumentParser
import GlossCore

struct Highlight: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "highlight", abstract: "Highlight a passage of an article.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's id, or a unique prefix of it.", valueName: "article"), completion: Completions.articles)
    var article: String
    @Argument(help: ArgumentHelp("The exact words to highlight (white space and quote styles may differ).", valueName: "quote"))
    var quote: String
    @Option(help: "A note on the highlight (Markdown).")
    var note: String?
    @Option(help: "Its colour: yellow, green, blue, pink, purple, orange, red or gray.", completion: Completions.colors)
    var color: String?
    @Option(name: .customLong("tag"), help: "Tag the highlight (repeatable).", completion: Completions.tags)
    var tags: [String] = []
    @Option(help: "Which occurrence to highlight when the quote occurs more than once (1 is the first).")
    var occurrence: Int?

    func run(store: Store) async throws {
        let annotation = try store.highlight(articleID: try store.articleID(prefix: article), quote: quote,
                                             occurrence: occurrence, note: note, color: color, tags: tags)
        if output.json { return try Output.json(annotation) }
        let anchor = annotation.anchor!
        print("highlighted \(try store.short(annotation.id))  \"\(Output.truncate(anchor.exact, 60))\"  (characters \(anchor.start)–\(anchor.end))")
    }
}
